"""Render packs and records: HTML (the same template for the preview and the PDF), PDF
through `shortlist.pdf` with page-by-page progress, CSV, and the fingerprint that says
when a kept file is out of date."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from flask import current_app, render_template
from pypdf import PdfReader

from shortlist.packs.model import InterviewPack, ShortlistingRecord, to_data

FORMAT_VERSION = "1"
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "packs"
_source_hash: str | None = None


def _sources() -> str:
    """A hash of the templates and print styles: a change to them makes kept files out of date."""
    global _source_hash
    if _source_hash is None:
        digest = hashlib.sha256(FORMAT_VERSION.encode())
        files = sorted(_TEMPLATES.glob("*.html"))
        static = Path(current_app.static_folder or "") / "pack.css"
        for path in [*files, static]:
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        _source_hash = digest.hexdigest()
    return _source_hash


def fingerprint(model: InterviewPack | ShortlistingRecord) -> str:
    """A hash of everything the document says (but not when it was made) and how it is laid out."""
    data = to_data(model)
    data.pop("generated_at", None)
    body = json.dumps({"kind": type(model).__name__, "data": data, "layout": _sources()},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _static(filename: str) -> str:
    """A root-relative static URL (no request needed): the PDF fetcher serves these."""
    return f"{(current_app.static_url_path or '/static').rstrip('/')}/{filename}"


def pack_document(pack: InterviewPack) -> str:
    """The pack as a standalone HTML document for WeasyPrint."""
    return render_template("packs/pack_pdf.html", pack=pack, stylesheet=_static("pack.css"))


def record_document(record: ShortlistingRecord) -> str:
    return render_template("packs/record_pdf.html", record=record, stylesheet=_static("pack.css"))


# --------------------------------------------------------------------------- PDF with progress

_LAYOUT = "Step 5 - Creating layout - Page %d"
_listeners: dict[int, Callable[[int], None]] = {}
_lock = threading.Lock()
_progress_logger = logging.getLogger("weasyprint.progress")


class _PageHandler(logging.Handler):
    """Routes WeasyPrint's "laying out page N" messages to the thread rendering that document."""

    def emit(self, record: logging.LogRecord) -> None:
        listener = _listeners.get(record.thread or 0)
        if listener is not None and record.msg == _LAYOUT and record.args:
            listener(int(record.args[0]))  # type: ignore[index]


_handler = _PageHandler()


@contextmanager
def _pages_laid_out(listener: Callable[[int], None]) -> Iterator[None]:
    ident = threading.get_ident()
    with _lock:
        if not _listeners:
            _progress_logger.addHandler(_handler)
            _progress_logger.setLevel(logging.INFO)
            _progress_logger.propagate = False
        _listeners[ident] = listener
    try:
        yield
    finally:
        with _lock:
            _listeners.pop(ident, None)
            if not _listeners:
                _progress_logger.removeHandler(_handler)
                _progress_logger.setLevel(logging.NOTSET)
                _progress_logger.propagate = True


def to_pdf(html: str, on_page: Callable[[int], None] | None = None) -> tuple[bytes, int]:
    """The PDF and its page count; ``on_page(n)`` is called as WeasyPrint lays out page n."""
    from shortlist.pdf import render_pdf

    seen = [0]

    def page(n: int) -> None:
        if n > seen[0]:
            seen[0] = n
            if on_page is not None:
                on_page(n)

    with _pages_laid_out(page):
        pdf = render_pdf(html)
    pages = len(PdfReader(BytesIO(pdf)).pages)
    return pdf, pages


def estimate_pages(pack: InterviewPack) -> int:
    """About how many pages the pack will take, for the progress bar before a first run."""
    per_candidate = 2 + (len(pack.criteria) + 1) // 2
    return max(2, 2 + len(pack.schedule) // 25 + len(pack.candidates) * per_candidate)


def estimate_record_pages(record: ShortlistingRecord) -> int:
    return max(1, 1 + len(record.candidates) * (1 + len(record.criteria) // 25))
