"""Security review finding 11: download names go into Content-Disposition through Werkzeug's
header quoting, so a name cannot add a parameter of its own; ``filename`` is ASCII-safe and
``filename*`` carries the whole name."""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy import select
from werkzeug.http import parse_options_header

from shortlist.downloads import attachment
from shortlist.extensions import db
from shortlist.models import GeneratedDocument, User, Vacancy
from shortlist.packs import render
from shortlist.services import packs
from tests import access_world
from tests.app_fixtures import login

EVIL = "Zed\";filename*=UTF-8''evil.html;x=\""


def _params(value: str) -> dict[str, str]:
    """The header's parameters as a browser splits them (at each ';' outside quotes)."""
    kind, _sep, rest = value.partition(";")
    assert kind == "attachment"
    params = dict(part.strip().split("=", 1) for part in re.findall(r'(?:[^;"]|"(?:[^"\\]|\\.)*")+', rest))
    assert set(params) == {"filename", "filename*"}, params
    # Werkzeug's own reading of it: one file name, the whole one
    assert parse_options_header(value)[1]["filename"] == unquote(params["filename*"].removeprefix("UTF-8''"))
    return {k: v.strip('"') for k, v in params.items()}


def test_a_hostile_name_stays_inside_the_filename():
    params = _params(attachment(f"copy-{EVIL}.pdf"))
    assert params["filename"].endswith(".pdf") and "evil.html" not in params["filename"].split("-")[-1]
    assert set(params["filename"]) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    assert unquote(params["filename*"].removeprefix("UTF-8''")) == f"copy-{EVIL}.pdf"


def test_accented_names_keep_their_letters():
    params = _params(attachment("interview-pack-copy-zoë-ó-dálaigh.pdf"))
    assert params["filename"] == "interview-pack-copy-zoe-o-dalaigh.pdf"


def test_a_member_copy_named_with_a_header_injection_downloads_as_a_pdf(client, app):
    access_world.build()
    member = db.session.scalar(select(User).where(User.email == access_world.MEMBER))
    member.name = EVIL
    db.session.commit()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "VAC-A"))
    spec = packs.DocumentSpec("pack", member_id=member.id)
    doc = GeneratedDocument(vacancy_id=vacancy.id, kind="pack", candidate_reference="", member_id=member.id,
                            fingerprint=render.fingerprint(packs.build(vacancy, spec)), status="done", progress=100,
                            message="", requested_by_id=member.id, content=b"%PDF-1.7 test")
    db.session.add(doc)
    db.session.commit()
    login(client, access_world.MEMBER)
    response = client.get(f"/vacancies/VAC-A/documents/{doc.id}.pdf")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    params = _params(header)
    assert params["filename"].endswith(".pdf") and params["filename"].startswith("interview-pack-VAC-A-copy-zed")
    assert not params["filename"].endswith(".html") and ";" not in params["filename"]
