"""Write docs/intake/'s sample exports (one per shipped profile), for Kent's demo vacancy
KCC-ST-01 (its criteria Q1 and EXP1 have evidence columns). Run: .venv/bin/python scripts/make-intake-samples.py"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from shortlist.exports import SHIPPED

OUT = Path(__file__).resolve().parent.parent / "docs" / "intake"
PEOPLE = [
    ("Amara Okoro", "2016-09 to now Kent Community Health / Family Therapist", "yes", "no", "", "", ""),
    ("Ben Patel", "2019-01 to 2023-06 Medway Council / Social Worker; 2023-07 to now KCHFT / Therapist", "no", "no",
     "", "", ""),
    ("Chloe Smith", "2020-02 to now Canterbury CAMHS / Assistant Psychologist", "no", "no", "2024-03-31", "", "yes"),
    ("Dev Nowak", "2015-05 to now Royal Navy / Medical Assistant", "no", "no", "", "2027-01-15", ""),
    ("Efua Evans", "2018-09 to now Dover Family Hub / Family Worker", "yes", "yes", "", "", ""),
]


def rows(profile: dict[str, str], prefix: str) -> tuple[list[str], list[list[str]]]:
    header = [c for c in profile.values()] + ["Evidence: Q1", "Evidence: EXP1"]
    out = []
    for i, (name, history, gis, disabled, left, due, last) in enumerate(PEOPLE, start=1):
        values = {
            "external_id": f"{prefix}-{9000 + i}", "reference": f"{prefix}-{i:03d}", "name": name,
            "email": f"{name.split()[0].lower()}@example.net", "phone": f"07700 900{i:03d}",
            "qualifications": "MSc Systemic Psychotherapy; AFT registration", "employment_history": history,
            "offer_interview_opt_in": gis, "disability_declared": disabled, "armed_forces_left_on": left,
            "armed_forces_discharge_due": due, "armed_forces_last_long_term_employer": last,
            "adjustments": "Step-free room" if disabled == "yes" else "", "unspent_convictions": "no",
            "conviction_details": "",
        }
        row = [values.get(field, "Prefer not to say" if field.startswith("equality_") else "") for field in profile]
        out.append(row + ["MSc in systemic psychotherapy, 2019.", f"{2 + i} years of family therapy."])
    return header, out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    header, data = rows(SHIPPED["Trac-style export"], "TRAC")
    book = Workbook()
    sheet = book.active
    sheet.title = "Applications"
    sheet.append(header)
    for row in data:
        sheet.append(row)
    book.save(OUT / "trac-style.xlsx")
    for name, prefix, file in (("NHS Jobs-style export", "NHSJ", "nhs-jobs-style.csv"),
                               ("Generic council ATS export", "ATS", "council-ats.csv")):
        header, data = rows(SHIPPED[name], prefix)
        with open(OUT / file, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(data)


if __name__ == "__main__":
    main()
