"""Applications from other systems' exports (issue 18): CSV and XLSX read within bounds, the
columns mapped onto our fields (shipped profiles for Trac-style, NHS Jobs-style and council ATS
exports), the first rows and every problem by row and the file's column before anything is
written, all or nothing, sealed answers straight to sealed storage, profiles saved per organisation."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from shortlist import exports
from shortlist.extensions import db
from shortlist.intake import IntakeError
from shortlist.models import Application, AuditEvent, CriminalRecordDeclaration, EqualityMonitoring, ImportProfile
from tests.app_fixtures import ROOT
from tests.app_fixtures import login
from tests.factories import CHAIR, campaign_dict, load

SAMPLES = ROOT / "docs" / "intake"


def kent_like() -> dict:
    data = campaign_dict("KCC-X", status="open")
    data["applications"] = []
    data["criteria"][0]["key"], data["criteria"][2]["key"] = "Q1", "EXP1"
    data["criteria"][2]["methods"] = ["AF"]
    return data


def count() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Application)) or 0


@pytest.mark.parametrize(("sample", "profile"), [("trac-style.xlsx", "Trac-style export"),
                                                 ("nhs-jobs-style.csv", "NHS Jobs-style export"),
                                                 ("council-ats.csv", "Generic council ATS export")])
def test_every_shipped_profile_reads_its_sample(sample, profile):
    table = exports.read((SAMPLES / sample).read_bytes(), sample)
    criteria = {"Q1": "Qualified", "EXP1": "Experience", "C1": "Spoken English"}
    mapping = exports.suggest(table, criteria, exports.SHIPPED[profile])
    assert mapping["evidence:Q1"] == "Evidence: Q1" and mapping["evidence:EXP1"] == "Evidence: EXP1"
    mapped = exports.apply(table, mapping, list(criteria))
    assert len(mapped.specs) == 5 and all(mapped.external_ids)
    chloe = mapped.specs[2]
    assert chloe.name == "Chloe Smith" and chloe.armed_forces is not None and chloe.armed_forces.left_on
    assert mapped.specs[0].evidence["Q1"].startswith("MSc") and mapped.specs[0].offer_interview_opt_in
    assert all(s.criminal_record_declaration == (False, "") for s in mapped.specs)
    assert mapped.preview[0]["equality_ethnicity"] == "(sealed: given)"  # never shown


def test_problems_are_named_by_row_and_the_files_column():
    table = exports.read(b"Candidate ID,Candidate Name,Email,Disabled\nX1,Ann,not-an-email,perhaps\nX1,,,no\n",
                         "x.csv")
    mapping = exports.suggest(table, {}, exports.SHIPPED["Generic council ATS export"])
    with pytest.raises(IntakeError) as caught:
        exports.apply(table, mapping, [])
    found = {str(p) for p in caught.value.problems}
    assert "row 2, column Email: 'not-an-email' is not an e-mail address" in found
    assert "row 2, column Disabled: must be yes or no" in found
    assert "row 3, column Candidate Name: is required" in found
    assert any(p.startswith("row 3, column Candidate ID") for p in found), found


def test_bounds():
    with pytest.raises(IntakeError, match="larger than 10 MB"):
        exports.read(b"x" * (exports.MAX_BYTES + 1), "big.csv")
    book = Workbook()
    book.active.append([f"c{i}" for i in range(exports.MAX_COLUMNS + 5)])
    book.active.append(["v"] * 3)
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(IntakeError, match="at most 200 are read"):
        exports.read(buffer.getvalue(), "wide.xlsx")
    with pytest.raises(IntakeError, match="not an XLSX workbook"):
        exports.read(b"PK\x03\x04 not really a zip", "broken.xlsx")
    rows = "\n".join(f"R{i},Name {i}" for i in range(exports.MAX_ROWS + 1))
    with pytest.raises(IntakeError, match="more than 5000"):
        exports.read(f"id,name\n{rows}\n".encode(), "long.csv")


def test_upload_map_preview_and_import_all_or_nothing(client, app):
    load(kent_like())
    login(client, CHAIR)
    base = "/vacancies/KCC-X/applications/from-export"
    sample = (SAMPLES / "council-ats.csv").read_bytes()
    bad = sample.replace(b"amara@example.net", b"amara-at-example")
    answer = client.post(base, data={"file": (io.BytesIO(bad), "council-ats.csv")}, content_type="multipart/form-data")
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"] + "?profile=Generic+council+ATS+export").get_data(as_text=True)
    assert "row 2, column Email: &#39;amara-at-example&#39; is not an e-mail address" in page
    assert "Amara Okoro" in page and "(sealed: given)" in page
    form = {f"map-{f}": c for f, c in exports.suggest(exports.read(bad, "x.csv"),
                                                      {"Q1": "", "C1": "", "EXP1": ""},
                                                      exports.SHIPPED["Generic council ATS export"]).items()}
    refused = client.post(answer.headers["Location"], data={**form, "action": "import"})
    assert refused.status_code == 400 and count() == 0  # nothing written

    answer = client.post(base, data={"file": (io.BytesIO(sample), "council-ats.csv")},
                         content_type="multipart/form-data")
    saved = client.post(answer.headers["Location"], data={**form, "action": "save", "profile_name": "Our ATS"})
    assert "Profile &#39;Our ATS&#39; saved for Example Council" in saved.get_data(as_text=True)
    assert db.session.scalar(select(ImportProfile.name)) == "Our ATS"
    done = client.post(answer.headers["Location"], data={**form, "action": "import"})
    assert done.status_code == 302 and count() == 5
    assert {a.external_id for a in db.session.scalars(select(Application))} == {f"ATS-900{i}" for i in range(1, 6)}
    assert db.session.scalar(select(func.count()).select_from(EqualityMonitoring)) == 5
    assert db.session.scalar(select(func.count()).select_from(CriminalRecordDeclaration)) == 5
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "applications.imported"))
    assert event.data["format"] == "export" and event.data["count"] == 5

    # the same export again: every row is already imported, and nothing more is written
    answer = client.post(base, data={"file": (io.BytesIO(sample), "council-ats.csv")},
                         content_type="multipart/form-data")
    page = client.post(answer.headers["Location"], data={**form, "action": "import"}).get_data(as_text=True)
    assert len(re.findall(r"is already", page)) >= 5 and count() == 5
