"""Issue 13, finding 7: a 32 KB PDF whose 200 pages share one compressed content stream
held a web worker for its whole timeout. Reading a PDF is bounded in pages, in decoded
content and in time (in a child process that is stopped at the deadline), and only a
few PDFs are read at once: past that an upload is refused at once."""

from __future__ import annotations

import threading
import time

import pytest

from shortlist.specimport import SpecImportError, import_spec
from shortlist.specimport.pdfread import PdfLimits, pdf_text

from . import builders


def _refusal(data: bytes, limits: PdfLimits) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(SpecImportError) as info:
        pdf_text(data, limits)
    return info.value.message, time.monotonic() - started


def test_the_hostile_pdf_is_small_and_refused_at_once_for_its_pages():
    data = builders.shared_stream_pdf(pages=200)
    assert len(data) < 40_000
    started = time.monotonic()
    with pytest.raises(SpecImportError) as info:
        import_spec(data, "spec.pdf")
    assert time.monotonic() - started < 3
    assert "200 pages" in info.value.message and "on its own" in info.value.message


def test_the_shared_stream_counts_once_per_page_that_draws_it():
    data = builders.shared_stream_pdf(pages=40)  # 9 KB on disk, 29 MB for its pages to lay out
    assert len(data) < 10_000
    started = time.monotonic()
    with pytest.raises(SpecImportError) as info:
        import_spec(data, "spec.pdf")
    assert time.monotonic() - started < 3
    assert "more than 8 MB of content to lay out" in info.value.message


def test_a_pdf_within_the_size_bounds_is_stopped_at_the_deadline(tmp_path):
    data = builders.shared_stream_pdf(pages=10, operations=5_000)  # within the size bounds, slow to lay out
    message, took = _refusal(data, PdfLimits(seconds=2, slot_dir=str(tmp_path)))
    assert "took longer than 2 seconds" in message
    assert took < 4


def test_decoded_content_is_bounded_before_it_is_laid_out(tmp_path):
    data = builders.shared_stream_pdf(pages=30, operations=2_000)  # 74 KB a page, decoded
    message, took = _refusal(data, PdfLimits(decoded_bytes=200_000, slot_dir=str(tmp_path)))
    assert "more than 0 MB" not in message and "content to lay out" in message
    assert took < 10
    message, _ = _refusal(data, PdfLimits(page_bytes=50_000, slot_dir=str(tmp_path)))
    assert message.startswith("The file is not a PDF we can read: page 1 holds more than 48 KB")


def test_parallel_uploads_do_not_take_every_worker(tmp_path):
    """Two slots: of three hostile uploads at once, one is refused straight away; the
    other two are stopped at the deadline, and a slot is free again afterwards."""
    limits = PdfLimits(seconds=2, slots=2, slot_dir=str(tmp_path))
    data = builders.shared_stream_pdf(pages=10, operations=5_000)  # within the size bounds, slow to lay out
    results: list[tuple[str, float]] = []

    def upload() -> None:
        results.append(_refusal(data, limits))

    threads = [threading.Thread(target=upload) for _ in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.2)
    for thread in threads:
        thread.join(10)
    busy = [took for message, took in results if "reading other PDFs" in message]
    stopped = [took for message, took in results if "took longer than" in message]
    assert len(busy) == 1 and busy[0] < 0.5
    assert len(stopped) == 2 and max(stopped) < 4
    good = builders.pdf_from_paragraphs(["Person Specification", "EXPERIENCE", "Experience of casework (E)"])
    assert "Experience of casework" in pdf_text(good, limits)


def test_a_damaged_pdf_is_refused_with_a_reason_and_nothing_else_escapes(tmp_path):
    good = builders.pdf_from_paragraphs(["Person Specification", "EXPERIENCE", "Experience of casework (E)"])
    broken = good[: len(good) // 2] + b"\x00" * 100 + good[len(good) // 2 + 100:]
    try:
        pdf_text(broken, PdfLimits(slot_dir=str(tmp_path)))
    except SpecImportError as error:
        assert error.message.startswith(("The file is not a PDF we can read", "The PDF contains no text"))


def test_an_installation_reads_pdfs_in_its_own_slots(tmp_path, monkeypatch):
    """Two installations (or two test runs) on one machine: one reading its slots full does not refuse the
    other's uploads. Each takes its folder from SHORTLIST_PDF_SLOT_DIR."""
    import fcntl

    busy, own = tmp_path / "busy", tmp_path / "own"
    busy.mkdir()
    held = [open(busy / f"slot-{i}.lock", "a+b") for i in range(PdfLimits().slots)]  # noqa: SIM115
    for handle in held:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    good = builders.pdf_from_paragraphs(["Person Specification", "EXPERIENCE", "Experience of casework (E)"])
    try:
        monkeypatch.setenv("SHORTLIST_PDF_SLOT_DIR", str(busy))
        message, took = _refusal(good, PdfLimits())
        assert "reading other PDFs" in message and took < 0.5
        monkeypatch.setenv("SHORTLIST_PDF_SLOT_DIR", str(own))
        assert "Experience of casework" in pdf_text(good, PdfLimits())
    finally:
        for handle in held:
            handle.close()
