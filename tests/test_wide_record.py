"""Issue 19: the shortlisting record as a wide CSV, one row per candidate and a column per
criterion, streamed; the long record stays."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user


def test_the_wide_record_has_a_row_per_candidate_and_a_column_per_criterion(client, app) -> None:
    data = campaign_dict("WIDE-01")
    template = data["applications"][0]
    data["applications"] = [{**template, "reference": f"W{i:04d}", "name": f"Applicant {i}",
                             "email": f"w{i}@example.net"} for i in range(1, 1502)]
    data["applications"][1]["scores"] = {"shortlisting": {CHAIR: {"K1": 3, "D1": 3}, MEMBER: {"K1": 3, "D1": 2}}}
    load(data)
    make_user(HR, role=Role.HR_ADMIN)
    login(client, HR)
    response = client.get("/vacancies/WIDE-01/shortlisting-record-wide.csv")
    assert response.status_code == 200 and response.is_streamed
    assert "shortlisting-record-wide-WIDE-01.csv" in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0][:5] == ["vacancy", "candidate", "name", "K1", "D1"]  # C1 is assessed at interview only
    assert len(table) == 1 + 1501 and [r[1] for r in table[1:4]] == ["W0001", "W0002", "W0003"]
    first, second = table[1], table[2]
    assert first[3:5] == ["2.5", "1.5"] and first[7] == "meets_essentials"
    assert second[3:5] == ["3", "2.5"] and second[5] == "2" and second[6] == "1 of 1"
    assert first[2] == ""  # names only once revealed to the panel
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "document.downloaded")).one()
    assert event.data["format"] == "csv_wide"
    # the long record stays
    long = client.get("/vacancies/WIDE-01/shortlisting-record.csv").get_data(as_text=True)
    assert len(long.splitlines()) > 1502
