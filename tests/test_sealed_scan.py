"""Sealed data never reaches a panel (R10, R15, R17).

A unique marker is planted in every sealed field of a seed campaign. Then, signed in
as each kind of panel member, a crawler requests every GET endpoint in the app's URL
map, with its URL parts filled from the loaded data, follows every link and redirect
it finds (downloads included), and looks for the markers in every body and header,
in error pages and in the app's log. It finds none. The same crawl as HR finds each
application's markers on its sealed-data page, so the scan is not blind.

The URL parts are filled generically: a new endpoint is scanned without touching this
test, and one whose parts cannot be filled fails it.
"""

from __future__ import annotations

import itertools
import logging
import re
import uuid
from html import unescape
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, select, update
from werkzeug.routing import Rule

from shortlist import permissions
from shortlist.extensions import db
from shortlist.messages import catalogue
from shortlist.models import (
    EQUALITY_KEYS,
    STAGES,
    Application,
    CriminalRecordDeclaration,
    Criterion,
    Decision,
    EqualityMonitoring,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.services import retention, sealed
from tests.app_fixtures import SEEDS, login
from tests.hr_helpers import decide

SEED = SEEDS / "bct-art-psychotherapist.yaml"
REFERENCE = "BCT-AP-01"
HR = "hr@example.org"
PANEL = {  # one of each panel role on the seed vacancy
    "member": "priya.shah@example.org",
    "chair": "manager.bct@example.org",  # also the recruiting manager
    "hr_adviser": "sinead.gallagher@example.org",
}
GRANTEE = "tom.okafor@example.org"  # granted the declarations; not one of the crawlers
SEALED_MODELS = (EqualityMonitoring, CriminalRecordDeclaration)
SKIP_ENDPOINTS = {"static"}  # the packaged CSS, JS and images: no data
MAX_REQUESTS = 3000


def marker() -> str:
    return "ZQ" + uuid.uuid4().hex[:14].upper()


# --------------------------------------------------------------------------- planting


@dataclass
class Planted:
    # application reference -> "table.column[.key]" -> marker
    by_application: dict[str, dict[str, str]]

    @property
    def all(self) -> set[str]:
        return {m for fields in self.by_application.values() for m in fields.values()}

    def of(self, prefix: str) -> dict[str, set[str]]:
        return {ref: {m for f, m in fields.items() if f.startswith(prefix)}
                for ref, fields in self.by_application.items()}


def _plant_columns(model: type, row: Any, found: dict[str, str]) -> None:
    """Every text or JSON column of a sealed row gets markers, so a new sealed field is covered."""
    table = model.__tablename__  # type: ignore[attr-defined]
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        if column.primary_key or column.foreign_keys:
            continue
        kind = column.type
        if isinstance(kind, (String, Text)):
            value = marker()
            setattr(row, column.key, value)
            found[f"{table}.{column.key}"] = value
        elif isinstance(kind, JSON):
            keys = set(EQUALITY_KEYS) | set(getattr(row, column.key) or {})
            values = {k: marker() for k in sorted(keys)}
            setattr(row, column.key, values)
            found.update({f"{table}.{column.key}.{k}": v for k, v in values.items()})
        elif isinstance(kind, (Boolean, DateTime, Integer)):
            continue  # no text to carry a marker
        else:
            pytest.fail(f"sealed column {model.__name__}.{column.key} has a type this scan cannot plant: {kind}")


def plant() -> Planted:
    """A sealed record on every application of the seed campaigns, with a marker in every sealed field."""
    applications = db.session.execute(
        select(Application, Vacancy.reference).join(Vacancy, Vacancy.id == Application.vacancy_id)).all()
    assert len(applications) >= 38
    planted: dict[str, dict[str, str]] = {}
    for application, vacancy in applications:
        if application.equality_monitoring is None:
            application.equality_monitoring = EqualityMonitoring(answers={})
        if application.criminal_record_declaration is None:
            application.criminal_record_declaration = CriminalRecordDeclaration(unspent_convictions=True)
        found: dict[str, str] = {}
        _plant_columns(EqualityMonitoring, application.equality_monitoring, found)
        _plant_columns(CriminalRecordDeclaration, application.criminal_record_declaration, found)
        planted[f"{vacancy}/{application.reference}"] = found
    db.session.commit()
    return Planted(planted)


def invited() -> set[str]:
    return set(db.session.scalars(
        select(Application.reference).join(Decision, Decision.application_id == Application.id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(Vacancy.reference == REFERENCE, Decision.stage == "shortlisting", Decision.outcome == "invite")))


def progress_the_vacancy() -> None:
    """As much on screen as possible: the shortlist made (`shortlist demo` takes the seed vacancy to
    interview through the panel's own steps; made here only if it did not), declarations shared
    with one grantee, holds placed."""
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
    if not invited():
        for reference in ("A001", "A002", "A006", "A009", "A013"):
            decide(REFERENCE, reference, "shortlisting", "invite", reason=f"Shortlisted {reference}",
                   by=PANEL["chair"])
        db.session.execute(update(Vacancy).where(Vacancy.reference == REFERENCE).values(
            shortlist_finalised_at=utcnow(), status="interview"))
        db.session.commit()
    assert len(invited()) >= 2
    hr = db.session.scalar(select(User).where(User.email == HR))
    retention.update_policy(vacancy, hr, retention_months=6, share_declarations=True)
    grantee = db.session.scalar(select(User).where(User.email == GRANTEE))
    sealed.grant_declarations(vacancy, hr, grantee.id, "Discuss the declarations at interview")
    retention.place_hold(vacancy, hr, kind="subject_access", reason="Request from A013", application_reference="A013")
    retention.place_hold(vacancy, hr, kind="claim", reason="Tribunal claim 1234/2027")


@pytest.fixture(scope="module")
def scanned(app: Flask, demo_data: None) -> Iterator[Planted]:
    """The demo users and the three seed campaigns (`shortlist demo`), planted once for the module.

    The crawls only read (and add audit events), so the tests share the data.
    """
    with app.app_context():
        planted = plant()
        progress_the_vacancy()
        db.session.remove()
    yield planted
    with app.app_context():  # documents a crawled page asked for are made in the background
        from shortlist import worker

        worker.drain()


# --------------------------------------------------------------------------- URL parts


def _table_ids(name: str) -> list[Any] | None:
    """`<thing>_id` -> the ids of the table `<thing>` or `<anything>_<thing>` (hold_id -> legal_hold)."""
    tables = [t for t in db.metadata.sorted_tables if t.name == name or t.name.endswith("_" + name)]
    if not tables:
        return None
    ids: list[Any] = []
    for table in tables:
        ids += db.session.scalars(select(table.c.id).order_by(table.c.id)).all()
    return ids


def _documents() -> list[int]:
    """The generated documents (interview pack, shortlisting record), made as the chair asks for them."""
    from shortlist.models.documents import GeneratedDocument
    from shortlist.packs import render
    from shortlist import worker
    from shortlist.services import jobs, packs

    if not db.session.scalar(select(GeneratedDocument.id).limit(1)):
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
        chair = db.session.scalar(select(User).where(User.email == PANEL["chair"]))
        # the shortlisting record and one candidate's pack: the smallest of each kind (PDFs take seconds)
        for spec in (packs.record_spec(vacancy, chair), packs.DocumentSpec("pack", candidate=sorted(invited())[0])):
            jobs.request(vacancy, chair, spec, render.fingerprint(packs.build(vacancy, spec)))
        assert worker.drain(), "the documents were not made in time"
        db.session.remove()
    return list(db.session.scalars(select(GeneratedDocument.id).order_by(GeneratedDocument.id)))


def _access_tokens() -> list[str]:
    """A live link to set a password, for a panel member of the scanned vacancy (made by HR)."""
    from shortlist.models import PanelMembership, Role, User
    from shortlist.services import access_links

    hr = db.session.scalar(select(User).where(User.role == Role.HR_ADMIN.value).order_by(User.id))
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
    member = db.session.scalar(select(User).join(PanelMembership, PanelMembership.user_id == User.id)
                               .where(PanelMembership.vacancy_id == vacancy.id).order_by(User.id))
    return [access_links.issue(hr, member, vacancy).token]


def _booking_tokens() -> list[str]:
    """An invited candidate's interview booking link (its page is public: the link is the key)."""
    from shortlist.services import interview_booking

    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
    application = db.session.scalar(select(Application).where(
        Application.vacancy_id == vacancy.id, Application.reference == sorted(invited())[0]))
    token = interview_booking.token_for(interview_booking.invitation_for(application))
    db.session.commit()
    return [token]


def _messages() -> list[int]:
    """The outbox's messages: the seed vacancy's, and one to an invited candidate if it has none."""
    from shortlist.messages import catalogue
    from shortlist.models import OutboxMessage
    from shortlist.services import audit, outbox

    if not db.session.scalar(select(OutboxMessage.id).limit(1)):
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
        application = db.session.scalar(select(Application).where(
            Application.vacancy_id == vacancy.id, Application.reference == sorted(invited())[0]))
        outbox.queue("interview_invitation", outbox.to_candidate(application),
                     catalogue.sample_context(catalogue.kind("interview_invitation")), actor=audit.CLI,
                     vacancy=vacancy)
        db.session.commit()
    return list(db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))


def _import_drafts() -> list[int]:
    """An export HR uploaded for the scanned vacancy, waiting at its column-mapping step."""
    from pathlib import Path

    from shortlist.models import Role, User
    from shortlist.services import exports

    hr = db.session.scalar(select(User).where(User.role == Role.HR_ADMIN.value).order_by(User.id))
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
    sample = Path(__file__).resolve().parents[1] / "docs" / "intake" / "council-ats.csv"
    return [exports.upload(vacancy, hr, sample.name, sample.read_bytes()).id]


def fillers(vacancy_id: int | None) -> dict[str, Callable[[], list[Any]]]:
    """URL part name -> its values in the loaded data (those of one vacancy, when the URL names one)."""
    in_vacancy = (lambda col: col == vacancy_id) if vacancy_id is not None else (lambda col: col.is_not(None))
    applications = lambda: db.session.scalars(  # noqa: E731
        select(Application.reference).where(in_vacancy(Application.vacancy_id)).distinct()
        .order_by(Application.reference)).all()
    criteria = lambda: db.session.scalars(  # noqa: E731
        select(Criterion.key).where(in_vacancy(Criterion.vacancy_id)).distinct().order_by(Criterion.key)).all()
    return {
        "application_reference": applications,
        "application": applications,
        "key": criteria,
        "criterion_key": criteria,
        "criterion": criteria,
        "stage": lambda: list(STAGES),
        "document_id": _documents,
        "token": _access_tokens,
        "booking_token": _booking_tokens,
        "message_id": _messages,
        "kind": lambda: sorted(catalogue.KINDS),
        # single sign-on's start page names an organisation by its code; the scan has none configured,
        # so the page answers for an unknown one, which must show no marker either
        "code": lambda: ["KCC"],
        "draft_id": _import_drafts,
    }


def fill(rule: Rule) -> list[str]:
    names = sorted(rule.arguments)
    vacancy_part = next((n for n in ("reference", "vacancy_reference") if n in names), None)
    contexts: list[tuple[int | None, dict[str, Any]]] = [(None, {})]
    if vacancy_part:
        contexts = [(vid, {vacancy_part: ref}) for vid, ref in db.session.execute(
            select(Vacancy.id, Vacancy.reference).where(Vacancy.reference == REFERENCE))]
    urls = []
    for vacancy_id, fixed in contexts:
        table = fillers(vacancy_id)
        rest = [n for n in names if n not in fixed]
        options = []
        for name in rest:
            if name in table:
                values = table[name]()
            elif name.endswith("_id") and (ids := _table_ids(name[:-3])) is not None:
                values = ids
            else:
                pytest.fail(f"the marker scan cannot fill <{name}> in {rule.rule} ({rule.endpoint}): add a "
                            "filler to tests/test_sealed_scan.py so the endpoint is scanned")
            assert values, f"no value in the loaded data for <{name}> in {rule.rule}: load data that reaches it"
            options.append(values)
        for combination in itertools.product(*options):
            built = rule.build({**fixed, **dict(zip(rest, combination, strict=True))}, append_unknown=False)
            assert built is not None, f"could not build {rule.rule} from {combination}"
            urls.append(built[1])
    return urls


def seed_urls(app: Flask) -> list[str]:
    urls: list[str] = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or "GET" not in (rule.methods or ()):
            continue
        urls += fill(rule)
    return urls


# --------------------------------------------------------------------------- crawling


@dataclass
class Visit:
    url: str
    status: int
    text: str  # body (PDF text extracted) and every header


def _body_text(response: Any) -> str:
    data: bytes = response.get_data()
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        reader = PdfReader(BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages) + data.decode("latin-1")
    return data.decode("utf-8", errors="replace")


HREF = re.compile(r"""<(?:a|link|area)\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _links(html: str, base: str, static_prefix: str) -> list[str]:
    found = []
    for match in HREF.finditer(html):
        target = urljoin(base, unescape(match.group(1) if match.group(1) is not None else match.group(2)))
        parts = urlsplit(target)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not parts.path.startswith(static_prefix):
            found.append(path)
    return found


OTHER_VACANCY = re.compile(r"/vacancies/(?!new\b)([^/?#]+)|[?&]vacancy=([^&#]+)")


def in_scope(path: str) -> bool:
    """Pages of the seed vacancy, and pages about no vacancy; the other demo vacancies are not crawled
    (the same pages with other data: scanning one keeps the suite quick)."""
    return all((m.group(1) or m.group(2)) == REFERENCE for m in OTHER_VACANCY.finditer(path))


def crawl(app: Flask, client: Any) -> list[Visit]:
    static_prefix = (app.static_url_path or "/static") + "/"
    queue = deque(seed_urls(app))
    seen: set[str] = set()
    visits: list[Visit] = []
    while queue:
        url = queue.popleft()
        if url in seen or not in_scope(url):
            continue
        seen.add(url)
        assert len(seen) <= MAX_REQUESTS, "the crawl does not end: too many distinct URLs"
        response = client.get(url)
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        body = _body_text(response)
        visits.append(Visit(url, response.status_code, body + "\n" + headers))
        if response.mimetype == "text/html":
            queue.extend(_links(body, "http://localhost" + url, static_prefix))
        location = response.headers.get("Location")
        if location:
            parts = urlsplit(urljoin("http://localhost" + url, location))
            if parts.netloc in ("", "localhost"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visits


MARKER = re.compile(r"ZQ[0-9A-F]{14}", re.IGNORECASE)


def marks_in(text: str) -> set[str]:
    """The markers in a text, even if a template changed their case."""
    return {m.upper() for m in MARKER.findall(text)}


def leaks(visits: list[Visit], markers: set[str]) -> list[tuple[str, int, str]]:
    return [(v.url, v.status, m) for v in visits for m in sorted(marks_in(v.text) & markers)]


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("role", sorted(PANEL))
def test_no_panel_member_ever_sees_a_sealed_marker(app, client, scanned, caplog, role):
    caplog.set_level(logging.DEBUG)
    login(client, PANEL[role])
    visits = crawl(app, client)
    ok = [v for v in visits if v.status == 200]
    assert len(ok) >= 5, f"the {role} reached too few pages for the scan to mean anything"
    assert any(v.url == f"/vacancies/{REFERENCE}" for v in ok)
    assert leaks(visits, scanned.all) == []
    # the pages that hold the sealed data were requested, and refused
    refused = {v.url: v.status for v in visits if "/sealed" in v.url or v.url.endswith("/declarations")}
    assert refused and set(refused.values()) <= {403, 404}, refused
    assert not marks_in(caplog.text) & scanned.all


def test_error_pages_and_the_log_carry_no_marker(app, client, scanned, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    login(client, PANEL["member"])
    for path in (f"/vacancies/{REFERENCE}/scoring/NOPE", "/vacancies/NOPE", f"/hr/vacancies/{REFERENCE}",
                 f"/vacancies/{REFERENCE}/declarations", "/no-such-page"):
        response = client.get(path)
        assert response.status_code in (403, 404)
        assert leaks([Visit(path, response.status_code, _body_text(response) + str(response.headers))],
                     scanned.all) == []
    some = sorted(scanned.by_application[f"{REFERENCE}/A001"].values())

    def failing(*args: Any, **kwargs: Any) -> Any:
        # an unexpected error whose message carries sealed data, as a database error's parameters can
        raise RuntimeError(f"cannot load {some[0]} {some[1]}")

    monkeypatch.setattr(permissions, "vacancy_relations", failing)
    response = client.get(f"/vacancies/{REFERENCE}")
    assert response.status_code == 500
    assert "problem with the service" in response.get_data(as_text=True)
    assert leaks([Visit("500", 500, _body_text(response) + str(response.headers))], scanned.all) == []
    assert "Unhandled RuntimeError" in caplog.text  # the error was logged...
    assert not marks_in(caplog.text) & scanned.all  # ...without the data


def test_the_grantee_sees_declarations_of_invited_candidates_but_no_equality_data(app, client, scanned):
    login(client, GRANTEE)
    visits = crawl(app, client)
    page = next(v for v in visits if v.url == f"/vacancies/{REFERENCE}/declarations")
    assert page.status == 200
    details = scanned.of("criminal_record_declaration.")
    shown = {ref for ref, marks in details.items() if marks & marks_in(page.text)}
    # those invited to interview, and no one else
    assert shown == {f"{REFERENCE}/{r}" for r in invited()}
    elsewhere = [v for v in visits if v.url != page.url]
    assert leaks(elsewhere, scanned.all) == []
    equality = {m for marks in scanned.of("equality_monitoring.").values() for m in marks}
    assert leaks(visits, equality) == []


def test_the_same_crawl_as_hr_finds_every_marker_on_the_sealed_pages(app, client, scanned, monkeypatch):
    # HR's subject-access PDFs hold sealed data by design (tests/test_subject_access.py reads them);
    # rendering 13 of them here would only slow the scan down
    from shortlist.views import hr as hr_views

    stub = hr_views.render_pdf("<p>Subject access export</p>")
    monkeypatch.setattr(hr_views, "render_pdf", lambda html: stub)
    login(client, HR)
    visits = crawl(app, client)
    crawled = {ref: fields for ref, fields in scanned.by_application.items() if ref.startswith(REFERENCE + "/")}
    assert len(crawled) == 13
    for reference, fields in crawled.items():
        marks = set(fields.values())
        vacancy, application = reference.split("/")
        page = next(v for v in visits if v.url == f"/hr/vacancies/{vacancy}/applications/{application}/sealed")
        assert page.status == 200
        missing = {m for m in marks if m not in page.text}
        assert not missing, f"{reference}: the sealed page does not show {missing}"


def test_an_endpoint_whose_url_parts_cannot_be_filled_fails_the_scan(scanned):
    from werkzeug.routing import Map

    mystery = Rule("/vacancies/<reference>/<mystery>", endpoint="someone.new_page")
    by_id = Rule("/hr/vacancies/<reference>/holds/<int:hold_id>/view", endpoint="someone.other_page")
    Map([mystery, by_id])
    with pytest.raises(pytest.fail.Exception, match=r"cannot fill <mystery> .*someone\.new_page"):
        fill(mystery)
    # an `<x>_id` part is filled from the table named after it: both holds placed on the seed vacancy
    assert len(fill(by_id)) == 2
