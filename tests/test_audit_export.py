"""HR exports the filtered audit log as CSV; the export is itself recorded, and the rows carry
their hashes so a copy can be checked against the chain."""

from __future__ import annotations

import csv
import io
import json

from bs4 import BeautifulSoup
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from shortlist.services import audit
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, campaign_dict, load, make_user


def rows(response) -> list[dict[str, str]]:  # noqa: ANN001
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_export_follows_the_filters_and_is_audited(client):
    load(campaign_dict("EXP-01"))
    load(campaign_dict("EXP-02"))
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    response = client.get("/audit/export.csv?vacancy=EXP-02&action=campaign.loaded")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename=audit-log-')
    [row] = rows(response)
    stored = db.session.scalar(select(AuditEvent).where(AuditEvent.vacancy_reference == "EXP-02",
                                                        AuditEvent.action == "campaign.loaded"))
    assert (row["row"], row["actor"], row["vacancy"], row["subject"]) == (str(stored.seq), "cli", "EXP-02",
                                                                          "vacancy EXP-02")
    assert json.loads(row["data"]) == stored.data
    assert (row["hash"], row["prev_hash"]) == (stored.hash, stored.prev_hash)
    export = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.exported")).one()
    assert export.actor == HR and export.vacancy_reference == "EXP-02"
    assert export.data == {"filters": {"vacancy": "EXP-02", "action": "campaign.loaded"}, "rows": 1}
    assert audit.verify() is None


def test_whole_log_export_is_oldest_first_and_includes_earlier_exports(client):
    load(campaign_dict("EXP-01"))
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    client.get("/audit/export.csv")
    second = rows(client.get("/audit/export.csv"))
    seqs = [int(r["row"]) for r in second]
    assert seqs == sorted(seqs) and second[-1]["action"] == "audit.exported"


def test_audit_page_links_the_export_with_its_filters(client):
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    page = BeautifulSoup(client.get("/audit/?actor=cli&from=2026-01-01").get_data(as_text=True), "html.parser")
    link = page.select_one('a[href^="/audit/export.csv"]')
    assert link is not None and "actor=cli" in link["href"] and "from=2026-01-01" in link["href"]
    assert link.get_text(strip=True) == "Download these events as CSV"


def test_only_hr_exports_the_log(client):
    load(campaign_dict("EXP-01"))
    login(client, CHAIR)
    assert client.get("/audit/export.csv").status_code == 403
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.exported")).all() == []
