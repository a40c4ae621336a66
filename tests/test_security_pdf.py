"""WeasyPrint fetches nothing but the app's own static files: a candidate's evidence, or
any HTML or CSS that reaches a PDF, cannot make the server read a file or call the
network (shortlist/pdf.py's fetcher)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from shortlist import pdf
from shortlist.pdf import FetchRefused, StaticFilesFetcher, render_pdf

MARKER = "SECRET-MARKER-7f3a91"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(f"root:x:0:0:{MARKER}\n")
    return path


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Recorder.hits.append(self.path)
        body = f"body {{ background: red }} /* {MARKER} */".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """A server on 127.0.0.1 that records every request: the PDF must never call it."""
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, str]]:
    """Every URL WeasyPrint asks the fetcher for, and what the fetcher did."""
    seen: list[tuple[str, str]] = []
    original = StaticFilesFetcher.fetch

    def fetch(self, url, headers=None):  # noqa: ANN001, ANN202
        try:
            response = original(self, url, headers)
        except FetchRefused:
            seen.append((url, "refused"))
            raise
        seen.append((url, "served"))
        return response

    monkeypatch.setattr(StaticFilesFetcher, "fetch", fetch)
    return seen


def _text(document: bytes) -> str:
    reader = PdfReader(BytesIO(document))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


# --------------------------------------------------------------------------- the fetcher


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "http://127.0.0.1:1/x",
    "https://127.0.0.1/assets/app.css",
    "https://example.org/assets/app.css",
    "https://shortlist.invalid/etc/passwd",
    "https://shortlist.invalid/assets/../../../../etc/passwd",
    "https://shortlist.invalid/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "https://shortlist.invalid/assets/..%2f..%2fapp.py",
    "https://shortlist.invalid/assets/..\\..\\app.py",
    "https://shortlist.invalid/assets/app.css%00.png",
    "https://shortlist.invalid/assets/app.css?x=1",
    "https://user@shortlist.invalid:443/assets/app.css",
    "data:text/plain;base64,cm9vdA==",
    "ftp://127.0.0.1/x",
    "//127.0.0.1/x",
    "https://shortlist.invalid/assets/no-such-file.css",
])
def test_the_fetcher_refuses_anything_but_a_static_file(app, url):
    with pytest.raises(FetchRefused):
        pdf.fetcher().fetch(url)


def test_the_fetcher_serves_the_apps_static_files(app):
    response = pdf.fetcher().fetch(pdf.BASE_URL + "assets/pack.css")
    assert response.getcode() == 200 and response.content_type == "text/css"
    assert response.read() == (Path(app.static_folder) / "pack.css").read_bytes()


def test_a_symlink_out_of_the_static_folder_is_refused(app, tmp_path, secret):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("body {}")
    (static / "escape.css").symlink_to(secret)
    fetcher = StaticFilesFetcher(static, "/assets")
    assert fetcher.fetch(pdf.BASE_URL + "assets/ok.css")
    with pytest.raises(FetchRefused):
        fetcher.fetch(pdf.BASE_URL + "assets/escape.css")


# --------------------------------------------------------------------------- whole documents


def hostile_document(secret: Path, listener: str) -> str:
    return f"""<!doctype html><html><head>
<link rel="stylesheet" href="{listener}/linked.css">
<link rel="stylesheet" href="file://{secret}">
<link rel="attachment" href="file://{secret}" title="attached">
<style>
  @import url("{listener}/imported.css");
  @import url("file://{secret}");
  @font-face {{ font-family: x; src: url("file://{secret}"); }}
  body {{ background: url("file://{secret}"); }}
  h1 {{ background-image: url("{listener}/background.png"); }}
  p::after {{ content: url("file://{secret}"); }}
</style></head><body>
<h1>Evidence</h1>
<p>The candidate's evidence.</p>
<img src="file:///etc/passwd" alt="passwd">
<img src="file://{secret}" alt="secret">
<img src="http://127.0.0.1:1/x" alt="port one">
<img src="{listener}/image.png" alt="listener">
<object data="file://{secret}"></object>
<embed src="file://{secret}">
<iframe src="file://{secret}"></iframe>
<a rel="attachment" href="file://{secret}">attachment link</a>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
  <image xlink:href="file://{secret}" width="10" height="10"/>
  <image href="{listener}/svg.png" width="10" height="10"/>
</svg>
</body></html>"""


def test_a_hostile_document_reads_no_file_and_calls_no_server(app, secret, listener, asked):
    document = render_pdf(hostile_document(secret, listener))
    assert document.startswith(b"%PDF")
    assert "The candidate's evidence." in _text(document)  # it was rendered
    assert MARKER not in _text(document) and "root:x:0:0" not in _text(document)
    assert MARKER.encode() not in document
    assert PdfReader(BytesIO(document)).attachments == {}
    assert _Recorder.hits == [], f"the PDF called the network: {_Recorder.hits}"
    # WeasyPrint asked, and the fetcher refused, each one
    refused = {url for url, what in asked if what == "refused"}
    assert f"file://{secret}" in refused and "file:///etc/passwd" in refused
    assert "http://127.0.0.1:1/x" in refused
    assert any(url.startswith(listener) for url in refused)
    assert not [url for url, what in asked if what == "served"]


HOSTILE_TEXT = '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd">'


@pytest.fixture
def hostile_world(monkeypatch, secret, listener):
    """The access matrix's VAC-A (shortlist final) with a candidate's own words written to
    fetch things: in the evidence, the adjustments and the name."""
    from tests import access_world

    original = access_world.campaign_a

    def campaign_a():  # noqa: ANN202
        data = original()
        first = data["applications"][0]
        first["evidence"]["K1"] = hostile_document(secret, listener) + HOSTILE_TEXT
        first["adjustments"] = HOSTILE_TEXT + f'<style>body {{ background: url("{listener}/adj.png") }}</style>'
        first["name"] = f'Alice <img src="{listener}/name.png"> Adams'
        return data

    monkeypatch.setattr(access_world, "campaign_a", campaign_a)
    access_world.build()


def test_a_candidates_words_in_the_interview_pack_fetch_nothing(app, hostile_world, asked):
    from shortlist.packs import render
    from shortlist.services import packs

    vacancy = db_vacancy("VAC-A")
    html = packs.html(packs.build(vacancy, packs.DocumentSpec("pack")))
    assert '<img src="file:' not in html and "&lt;img" in html  # escaped in the HTML
    document, _pages = render.to_pdf(html)
    text = _text(document)
    assert "file:///etc/passwd" in text  # the candidate's words are there, as words
    assert MARKER not in text and MARKER.encode() not in document and "root:x:0:0" not in text
    assert PdfReader(BytesIO(document)).attachments == {}
    assert _Recorder.hits == []
    assert asked and all(what == "served" and url.startswith(pdf.BASE_URL + "assets/") for url, what in asked), asked


def test_a_candidates_words_in_the_subject_access_pdf_fetch_nothing(app, client, hostile_world, asked):
    from tests.access_world import HR
    from tests.app_fixtures import login

    login(client, HR)
    response = client.get("/hr/vacancies/VAC-A/applications/A001/subject-access.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.get_data())
    assert "file:///etc/passwd" in text and "The candidate" in text
    assert MARKER not in text and MARKER.encode() not in response.get_data()
    assert PdfReader(BytesIO(response.get_data())).attachments == {}
    assert _Recorder.hits == []
    assert all(what == "served" and url.startswith(pdf.BASE_URL + "assets/") for url, what in asked), asked


def db_vacancy(reference: str):  # noqa: ANN201
    from sqlalchemy import select

    from shortlist.extensions import db
    from shortlist.models import Vacancy

    return db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
