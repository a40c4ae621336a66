"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

Every PDF the app makes goes through `render_pdf`. The document is given a base URL on
a reserved host, so a relative link such as ``/assets/pdf.css`` (what
``url_for('static', ...)`` gives) resolves there, and the fetcher serves it from the
static folder. Anything else (other hosts, ``file:`` and ``data:`` URLs, paths that
climb out of the static folder) is refused, so a value in a document can never make
the server read a file or call out to the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://shortlist.invalid/"
_HOST = urlsplit(BASE_URL).netloc


class FetchRefused(ValueError):
    """A document asked for something other than one of the app's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serves ``<BASE_URL><static_url_path>/<file>`` from ``static_folder``; refuses everything else."""

    def __init__(self, static_folder: str | Path, static_url_path: str) -> None:
        super().__init__(fail_on_errors=False)
        self.root = Path(static_folder).resolve()
        self.prefix = static_url_path.rstrip("/") + "/"

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:  # noqa: ARG002
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != _HOST or parts.query or parts.fragment:
            raise FetchRefused(f"not one of the app's static files: {url[:80]}")
        path = unquote(parts.path)
        if not path.startswith(self.prefix) or "\\" in path or "\x00" in path:
            raise FetchRefused(f"not one of the app's static files: {url[:80]}")
        target = (self.root / path[len(self.prefix):]).resolve()
        if not target.is_relative_to(self.root) or not target.is_file():
            raise FetchRefused(f"no such static file: {url[:80]}")
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": mime})


def fetcher() -> StaticFilesFetcher:
    """The fetcher for the current app's static folder."""
    app = current_app
    return StaticFilesFetcher(app.static_folder or "", app.static_url_path or "/static")


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML document (rendered by a template of this app)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher()).write_pdf()
