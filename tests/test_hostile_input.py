"""Hostile and broken input: every text field of the main forms, the uploads and the
CSV and campaign-file intake, with HTML and script, SQL-ish text, control characters,
odd Unicode, very long text and random text (hypothesis). Nothing returns a 500, HTML
comes back escaped, oversized input gets an error that names the field, a refused request
leaves the database exactly as it was, and error pages carry no stack trace or data.

The forms are read from their own pages: each page's form is submitted as the page
fills it in, with one or every text field (input and textarea) replaced, so a new field
on one of these forms is fuzzed without a change here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from shortlist.extensions import db
from shortlist.models import Role
from shortlist import worker
from shortlist.services import jobs, panel
from tests import access_world, db_snapshot
from tests.app_fixtures import empty_tables, login
from tests.factories import CHAIR, HR, MEMBER, OTHER, campaign_dict, load, make_user

SCRIPT = '<script>alert("xss-1")</script>'
IMAGE = '"><img src=x onerror=alert("xss-2")>'
MARKERS = ('<script>alert("xss', "<img src=x onerror")
HOSTILE = {
    "html": f"{SCRIPT} {IMAGE} <b>bold</b> &amp; &lt;",
    "sql": "'; DROP TABLE vacancy; -- \" OR 1=1; SELECT * FROM \"user\" WHERE ''='",
    "control": "line one\r\nline two\x00\x01\x07\x08\x1b[31m\x7f end",
    "unicode": "\u202eevil\u202c \ufeff zero\u200bwidth \U0001f600 Ｆｕｌｌ ‮ \ud7ff e\u0301",
    "template": "{{ 7*7 }} {% raw %} ${7*7} %s %n {0} <%= 7*7 %>",
    "long": "x" * 600_000,
}


# --------------------------------------------------------------------------- the data


def _draft() -> dict[str, Any]:
    data = campaign_dict("DRAFT-1", status="draft")
    data["applications"] = []
    return data


def _scoring() -> dict[str, Any]:
    from tests.test_panel import campaign

    return campaign()


@pytest.fixture(scope="module")
def demo_data(app: Flask) -> Iterator[db_snapshot.Snapshot]:
    """A draft vacancy (set-up forms), one being scored (TST-01: panel forms) and the access
    matrix's VAC-A at interview (slots), built once; every example restores them (the name
    overrides conftest's fixture, so the tables are not emptied between these tests)."""
    with app.app_context():
        empty_tables()
        access_world.build()
        load(_draft())
        load(_scoring())
        make_user(HR, Role.HR_ADMIN, name="Hana HR")
        vacancy = panel_vacancy("TST-01")
        for email in (CHAIR, MEMBER):
            user = _user(email)
            panel.declare_conflicts(vacancy, user, {a.token: ("no", "")
                                                    for a in panel.applicants_for_declaration(vacancy, user)})
            for ref in ("A001",):
                panel.save_sheet(vacancy, panel.application_by_reference(vacancy, ref), user, "shortlisting",
                                 {"K1": "3" if email == CHAIR else "1", "D1": "1"}, {},
                                 {"2020-01": ("explained", "")}, submit=True)
        db.session.remove()
        snapshot = db_snapshot.take()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "submit", lambda doc_id: None)
        yield snapshot
    with app.app_context():
        empty_tables()


def panel_vacancy(reference: str):  # noqa: ANN201
    from sqlalchemy import select

    from shortlist.models import Vacancy

    return db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))


def _user(email: str):  # noqa: ANN202
    from tests.access_world import _user as find

    return find(email)


@dataclass(frozen=True)
class Form:
    """A form page, who fills it in, and the submit button to press (None: the first)."""

    name: str
    who: str
    path: str
    button: str | None = None
    # where the accepted value is shown (default: where the POST redirects)
    shown_at: str | None = None


FORMS = [
    Form("new vacancy", HR, "/vacancies/new"),
    Form("vacancy details", CHAIR, "/vacancies/DRAFT-1/setup/details"),
    Form("checks", CHAIR, "/vacancies/DRAFT-1/setup/checks"),
    Form("new criterion", CHAIR, "/vacancies/DRAFT-1/setup/criteria/new"),
    Form("criterion", CHAIR, "/vacancies/DRAFT-1/setup/criteria/K1"),
    Form("scale", CHAIR, "/vacancies/DRAFT-1/setup/scale"),
    Form("panel", CHAIR, "/vacancies/DRAFT-1/setup/panel"),
    Form("questions", CHAIR, "/vacancies/DRAFT-1/setup/questions"),
    Form("application by hand", CHAIR, "/vacancies/DRAFT-1/applications/new"),
    Form("spec import (paste)", CHAIR, "/vacancies/DRAFT-1/setup/import"),
    Form("conflicts", OTHER, "/vacancies/TST-01/conflicts"),
    Form("scoring notes", MEMBER, "/vacancies/TST-01/scoring/A002", button="save"),
    Form("agreed score rationale", CHAIR, "/vacancies/TST-01/moderation/A001"),
    Form("decision reason", CHAIR, "/vacancies/TST-01/decisions/A001"),
    Form("interview slot", access_world.CHAIR, "/vacancies/VAC-A/interviews/A002"),
    Form("interview outcome", access_world.HR, "/vacancies/VAC-A/outcomes/A001"),
    Form("legal hold", access_world.HR, "/hr/vacancies/VAC-A"),
]


# --------------------------------------------------------------------------- reading a form


@dataclass
class Filled:
    action: str
    fields: list[tuple[str, str]]
    text: list[str]  # the names of its text inputs and textareas


def _main_form(soup: BeautifulSoup, button: str | None) -> Any:
    forms = [f for f in soup.select("main form[method=post]") if f.select("input[type=text], textarea")
             or (button and f.select(f"[name={button}]"))]
    assert forms, "no form with a text field on the page"
    return max(forms, key=lambda f: len(f.select("input[type=text], input[type=email], textarea")))


def read_form(html: str, path: str, button: str | None = None) -> Filled:
    """The form as the page fills it in: what a browser would send if nothing were typed."""
    form = _main_form(BeautifulSoup(html, "html.parser"), button)
    fields: list[tuple[str, str]] = []
    text: list[str] = []
    radios: dict[str, str] = {}
    for element in form.select("input, textarea, select"):
        name = element.get("name")
        if not name:
            continue
        kind = (element.get("type") or "text").lower() if element.name == "input" else element.name
        if kind in ("text", "email", "tel", "url", "search", "number", "date", "textarea"):
            value = element.get_text() if kind == "textarea" else element.get("value", "")
            fields.append((name, value))
            if kind != "number" and name != "csrf_token":
                text.append(name)
        elif kind == "hidden":
            fields.append((name, element.get("value", "")))
        elif kind == "radio":
            if element.has_attr("checked") or name not in radios:
                radios[name] = element.get("value", "")
        elif kind == "checkbox" and element.has_attr("checked"):
            fields.append((name, element.get("value", "y")))
        elif kind == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option[value]:not([value=''])")
            if chosen is not None:
                fields.append((name, chosen.get("value", "")))
    fields += list(radios.items())
    buttons = form.select("button[name], input[type=submit][name]")
    pressed = next((b for b in buttons if b.get("name") == button), buttons[0] if buttons else None)
    if pressed is not None:
        fields.append((pressed["name"], pressed.get("value", "y")))
    action = urldefrag(urljoin(path, form.get("action") or path)).url  # as a browser resolves it
    return Filled(action, fields, sorted(set(text)))


# --------------------------------------------------------------------------- the checks


def assert_escaped(response: Any, where: str) -> None:
    body = response.get_data(as_text=True)
    for marker in MARKERS:
        assert marker not in body, f"{where}: unescaped {marker!r} in the page"


def submit(app: Flask, client: Any, snapshot: db_snapshot.Snapshot, form: Form, values: dict[str, str]) -> None:
    """Post the form with these text values; check the outcome either way."""
    db_snapshot.restore(snapshot)
    login(client, form.who)
    page = client.get(form.path)
    assert page.status_code == 200, f"{form.name}: {form.path} answered {page.status_code}"
    filled = read_form(page.get_data(as_text=True), form.path, form.button)
    data = [(k, values.get(k, v)) for k, v in filled.fields]
    before = db_snapshot.take()
    response = client.post(filled.action, data=MultiDict(data))
    where = f"{form.name} ({', '.join(f'{k}={v[:40]!r}' for k, v in values.items())})"
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert response.status_code not in (404, 405), f"{where}: the form was not posted where it goes"
    assert_escaped(response, where)
    if response.status_code == 302:
        shown = client.get(form.shown_at or response.headers["Location"])
        assert shown.status_code < 500, f"{where}: the page after saving answered {shown.status_code}"
        assert_escaped(shown, where + ", after saving")
        for value in values.values():
            assert len(value) < 100_000, f"{where}: {len(value)} characters accepted"
    else:
        changed = db_snapshot.differences(before, db_snapshot.take())
        assert not changed, f"{where}: refused ({response.status_code}) but wrote {changed}"
    worker.drain(30)


@pytest.fixture
def fill(app, client, demo_data):
    def run(form: Form, values: dict[str, str]) -> None:
        submit(app, client, demo_data, form, values)
    return run


def _text_fields(app: Flask, client: Any, snapshot: db_snapshot.Snapshot, form: Form) -> list[str]:
    db_snapshot.restore(snapshot)
    login(client, form.who)
    return read_form(client.get(form.path).get_data(as_text=True), form.path, form.button).text


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_hostile_text_in_every_field(app, client, demo_data, fill, form, kind):
    fields = _text_fields(app, client, demo_data, form)
    assert fields, f"{form.name}: no text fields found"
    fill(form, dict.fromkeys(fields, HOSTILE[kind]))


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_each_field_alone_when_oversized_gets_an_error_naming_it(app, client, demo_data, form):
    """One field at a time, so the error must be that field's own, linked from the summary."""
    for name in _text_fields(app, client, demo_data, form):
        db_snapshot.restore(demo_data)
        login(client, form.who)
        filled = read_form(client.get(form.path).get_data(as_text=True), form.path, form.button)
        before = db_snapshot.take()
        response = client.post(filled.action, data=MultiDict([(k, "y" * 600_000 if k == name else v)
                                                              for k, v in filled.fields]))
        assert response.status_code in (200, 400, 413), f"{form.name}.{name}: {response.status_code}"
        assert db_snapshot.differences(before, db_snapshot.take()) == [], f"{form.name}.{name}"
        if response.status_code != 413:
            summary = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
                ".govuk-error-summary")
            assert summary is not None, f"{form.name}.{name}: refused without an error summary"


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
HOSTILE_TEXT = st.one_of(TEXT, st.sampled_from([v for k, v in HOSTILE.items() if k != "long"]),
                         st.builds(lambda a, b: a + SCRIPT + b, TEXT, TEXT))


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_random_text_in_every_field(app, client, demo_data, fill, form, data):
    fields = _text_fields(app, client, demo_data, form)
    fill(form, {name: data.draw(HOSTILE_TEXT, label=name) for name in fields})


# --------------------------------------------------------------------------- uploads


def _upload(client: Any, path: str, name: str, content: bytes, field: str = "file") -> Any:
    from io import BytesIO

    response = client.post(path, data={field: (BytesIO(content), name)}, content_type="multipart/form-data")
    response.get_data()
    response.close()
    stream = response.request.environ.get("wsgi.input")  # a big body is spooled to a temporary file
    if stream is not None:
        stream.close()
    return response


BROKEN_FILES = {
    "invalid utf-8": b"reference,name\nA900,\x81\x8d\x90 broken\n",  # nor Windows-1252
    "binary": bytes(range(256)) * 40,
    "nul bytes": b"reference,name\x00\nA900,Nul\x00Name\n",
    "empty": b"",
    "huge line": b"reference,name\nA900," + b"y" * 3_000_000 + b"\n",
    "yaml bomb": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                 b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    "yaml tags": b"!!python/object/apply:os.system ['echo owned']\n",
}
# a CSV in Windows-1252 (Excel's) is read as such, so these may be accepted: then shown escaped
ACCEPTABLE_CSV = {
    "windows-1252": b"reference,name,email\nA900,Ren\xe9e \x96 O\x92Neil,renee@example.net\n",
    "html in cells": f"reference,name,email\nA900,{SCRIPT},x@example.net\n".encode(),
    "formula": b"reference,name,email\nA900,=HYPERLINK(\"http://evil.example\"),x@example.net\n",
}


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
@pytest.mark.parametrize("kind", list(BROKEN_FILES))
def test_broken_application_files_get_a_clear_error(app, client, demo_data, kind, suffix):
    db_snapshot.restore(demo_data)
    login(client, CHAIR)
    before = db_snapshot.take()
    response = _upload(client, "/vacancies/DRAFT-1/applications/import", f"upload{suffix}", BROKEN_FILES[kind])
    assert response.status_code in (200, 400, 413), response.status_code
    assert_escaped(response, kind)
    html = response.get_data(as_text=True)
    if response.status_code != 413:
        assert "govuk-error-summary" in html, f"{kind}: no error shown"
        assert "Nothing was saved" in html
    assert db_snapshot.differences(before, db_snapshot.take()) == []


@pytest.mark.parametrize("kind", list(ACCEPTABLE_CSV))
def test_odd_but_readable_csv_is_imported_and_shown_escaped(app, client, demo_data, kind):
    db_snapshot.restore(demo_data)
    login(client, HR)
    response = _upload(client, "/vacancies/DRAFT-1/applications/import", "upload.csv", ACCEPTABLE_CSV[kind])
    assert response.status_code == 302, BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()[:500]
    for page in ("/vacancies/DRAFT-1/applications/", "/vacancies/DRAFT-1/candidates", "/audit/"):
        shown = client.get(page)
        assert shown.status_code == 200
        assert_escaped(shown, page)


def test_exported_csv_cells_cannot_start_a_formula(app, client, demo_data):
    """A name typed as =HYPERLINK(...) must not become a live formula in HR's spreadsheet."""
    db_snapshot.restore(demo_data)
    login(client, HR)
    _upload(client, "/vacancies/DRAFT-1/applications/import", "upload.csv", ACCEPTABLE_CSV["formula"])
    exported = client.get("/audit/export.csv").get_data(as_text=True)
    import csv
    import io

    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@") and "HYPERLINK" in c]


SPEC_FILES = {**BROKEN_FILES, "html": f"Essential criteria\n{SCRIPT} Knowledge of {IMAGE}\n".encode()}


@pytest.mark.parametrize("kind", ["invalid utf-8", "binary", "nul bytes", "empty", "html"])
@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".txt"])
def test_broken_person_specifications_get_a_clear_error(app, client, demo_data, kind, suffix):
    db_snapshot.restore(demo_data)
    login(client, CHAIR)
    before = db_snapshot.take()
    response = _upload(client, "/vacancies/DRAFT-1/setup/import", f"spec{suffix}", SPEC_FILES[kind])
    assert response.status_code < 500, response.status_code
    assert_escaped(response, kind)
    if response.status_code != 302:
        assert db_snapshot.differences(before, db_snapshot.take()) == []


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".yaml", ".yml", ".txt"]))
def test_random_bytes_as_an_application_file(app, client, demo_data, content, suffix):
    db_snapshot.restore(demo_data)
    login(client, CHAIR)
    before = db_snapshot.take()
    response = _upload(client, "/vacancies/DRAFT-1/applications/import", f"upload{suffix}", content)
    assert response.status_code < 500
    if response.status_code != 302:
        assert db_snapshot.differences(before, db_snapshot.take()) == []


def test_a_body_over_the_limit_is_refused_with_413(app, client, demo_data):
    db_snapshot.restore(demo_data)
    login(client, CHAIR)
    response = _upload(client, "/vacancies/DRAFT-1/applications/import", "big.csv",
                       b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- error pages


PERSONAL = ("Alice Adams", "alice@example.net")


def test_a_server_error_shows_no_stack_trace_or_data(app, error_app, caplog):
    with caplog.at_level(logging.DEBUG), error_app.app_context():
        response = error_app.test_client().get("/test-only/boom?name=Alice+Adams&email=alice@example.net")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in html
    for leak in ("Traceback", "RuntimeError", "boom", "File \"", "DBS check", *PERSONAL):
        assert leak not in html, leak
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Unhandled RuntimeError" in logged  # the log says what failed, and where
    for leak in PERSONAL:
        assert leak not in logged, f"{leak!r} in the log"


def test_a_database_error_logs_no_sql_parameters(app, error_app, caplog):
    """An IntegrityError's message carries the statement's parameters: personal data."""
    with caplog.at_level(logging.DEBUG), error_app.app_context():
        response = error_app.test_client().get("/test-only/integrity?name=Alice+Adams&email=alice@example.net")
    assert response.status_code == 500
    logged = "\n".join(r.getMessage() for r in caplog.records) + response.get_data(as_text=True)
    for leak in PERSONAL:
        assert leak not in logged


@pytest.fixture(scope="module")
def error_app(app: Flask) -> Iterator[Flask]:
    from tests.test_security_sessions import another_app

    with another_app(app) as failing:

        @failing.get("/test-only/boom")
        def boom():  # noqa: ANN202
            from flask import request

            # the data comes from the request, as it would: the log may show this line, not its values
            name, email = request.args.get("name", ""), request.args.get("email", "")
            raise RuntimeError(f"{name} <{email}> failed the DBS check")

        @failing.get("/test-only/integrity")
        def integrity():  # noqa: ANN202
            from flask import request
            from sqlalchemy.exc import IntegrityError

            raise IntegrityError("INSERT INTO applicant_details (name, email) VALUES (?, ?)",
                                 (request.args.get("name"), request.args.get("email")),
                                 Exception("UNIQUE constraint failed"))

        for endpoint in ("boom", "integrity"):
            failing.view_functions[endpoint].access_rule = "public"  # type: ignore[attr-defined]
        yield failing


def test_the_forms_list_covers_the_main_forms():
    """The forms the issue names are all here (a renamed page would otherwise drop out)."""
    names = {f.name for f in FORMS}
    for needed in ("new vacancy", "vacancy details", "new criterion", "scale", "panel", "application by hand",
                   "spec import (paste)", "conflicts", "scoring notes", "agreed score rationale",
                   "decision reason", "interview slot"):
        assert needed in names


# --------------------------------------------------------------------------- control characters


def test_control_characters_are_removed_before_anything_is_stored(app, client, demo_data):
    """A NUL cannot go into a PostgreSQL text column; none of them belongs in typed text."""
    from sqlalchemy import select

    from shortlist.models import Criterion

    db_snapshot.restore(demo_data)
    login(client, CHAIR)
    form = Form("new criterion", CHAIR, "/vacancies/DRAFT-1/setup/criteria/new")
    filled = read_form(client.get(form.path).get_data(as_text=True), form.path)
    values = {"category": "Know\x00ledge\x1b", "text": "Line one\r\nline\x07 two\x00"}
    data = MultiDict([(k, values.get(k, v)) for k, v in filled.fields])
    data.add("methods", "AF")
    response = client.post(filled.action, data=data)
    assert response.status_code == 302, response.status_code
    saved = db.session.scalar(select(Criterion).where(Criterion.text.like("Line one%")))
    assert saved is not None
    assert saved.category == "Knowledge" and " ".join(saved.text.split()) == "Line one line two"


def test_control_characters_in_urls(client, demo_data):
    db_snapshot.restore(demo_data)
    login(client, CHAIR)
    assert client.get("/vacancies/DRAFT%00-1").status_code == 404
    assert client.get("/vacancies/DRAFT-1/setup/library/?q=know%00ledge%07").status_code == 200
