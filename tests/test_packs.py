"""The interview pack and the shortlisting record: read back from the PDF (pypdf), section
by section; the gates and their refusals; one page rendered to PNG to catch a blank or
broken layout. Generation off the request path is in tests/test_jobs.py."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, User, Vacancy
from shortlist.packs import render
from shortlist.services import audit, interviews, panel, vacancies
from shortlist.services import packs as service
from shortlist.services.packs import DocumentRefused, DocumentSpec
from tests.factories import CHAIR, HR, MEMBER
from tests.test_interviews import finalised

SAFEGUARDING_Q = "Safeguarding: a child tells you a secret and asks you not to tell anyone. What do you do?"
LONG = " ".join(["Seat the candidate near the door, with a clear view of the panel."] * 34)


def vacancy() -> Vacancy:
    db.session.remove()
    return db.session.scalar(select(Vacancy))


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def ready(long_adjustments: bool = False) -> None:
    """TST-01 finalised (A001 Alice Adams and A002 Bob Brown invited, A003 Cara Cole not),
    with interview questions (one about safeguarding) and both interviews arranged."""
    finalised()
    v, chair = vacancy(), user(CHAIR)
    vacancies.save_questions(v, chair, {"K1": [SAFEGUARDING_Q, "How do you use systemic ideas with carers?"],
                                        "C1": ["Explain a formulation as you would to a new foster carer."]})
    for ref, time, place in (("A001", "10:00", "Room 2, Civic Centre"), ("A002", "11:30", "https://video.example.org/tst")):
        v = vacancy()
        interviews.arrange(v, panel.application_by_reference(v, ref), user(CHAIR), "2026-12-10", time, "45", place)
    if long_adjustments:
        v = vacancy()
        for ref in ("A001", "A002"):
            panel.application_by_reference(v, ref).details.adjustments = f"START{ref} {LONG} END{ref}"
        db.session.commit()
    db.session.remove()


@pytest.fixture
def at_pack():
    ready()


def pdf_pages(spec: DocumentSpec = DocumentSpec()) -> list[str]:
    pdf, pages = service.generate(vacancy(), spec, audit.CLI)
    assert pdf.startswith(b"%PDF")
    texts = [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]
    assert len(texts) == pages
    return texts


def section(texts: list[str], start: str, stop: str | None = None) -> str:
    """The text from the page where ``start`` first appears up to (not including) the page
    where ``stop`` first appears after it."""
    first = next(i for i, t in enumerate(texts) if start in t)
    last = next((i for i in range(first + 1, len(texts)) if stop and stop in texts[i]), len(texts))
    return " ".join(texts[first:last])


def test_the_panel_pack_holds_each_section(at_pack):
    texts = pdf_pages()
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert "OFFICIAL-SENSITIVE" in text
        assert "TST-01 · Family Therapist · Interview pack" in text  # the running header
        assert f"Page {number} of {total}" in text
        assert "Panel copy" in text

    cover = texts[0]
    for fact in ("Interview pack: Family Therapist", "Example Council, Children's Services", "P07",
                 "Interview dates 10 December 2026", "Enhanced DBS check with the children's barred list (regulated activity)",
                 "made after a conditional offer. It is never a score", "does no regulated activity until the barred-list result",
                 "This is a safeguarding role", "Safer-recruitment trained panel member: Chair Person (trained 1 March 2025)",
                 "Chair Person Chair Safer-recruitment trained 1 March 2025", "Member Person Member No safer-recruitment",
                 "0 No evidence", "3 Exceeds"):
        assert fact in cover, fact

    schedule = section(texts, "Schedule Adjustments say", "Candidate A001")
    assert re.search(r"A001 Alice Adams 10 December 2026 10:00 to 10:45 45 minutes Room 2, Civic Centre None asked for", schedule)
    assert "A002 Bob Brown 10 December 2026 11:30 to 12:15" in schedule
    assert "A ground-floor room and extra time for the written exercise" in schedule  # what to do
    assert "A003" not in schedule and "Cara Cole" not in " ".join(texts)  # not invited: not in the pack

    alice = section(texts, "Candidate A001: Alice Adams", "Candidate A002")
    assert "Guaranteed interview" not in alice
    assert "10 December 2026 at 10:00 (45 minutes), Room 2, Civic Centre" in alice
    assert "K1 Essential Knowledge of systemic therapy. Met 3 (Exceeds) Independent scores 3, 3" in alice
    assert "D1 Desirable Experience of supervising students. Not met 1 (Limited evidence)" in alice
    assert "Recommendation: Meets the essential criteria" in alice
    assert "Decision: Invite to interview, confirmed by Chair Person on" in alice
    assert "Reason:" not in alice  # the decision's reason stays in the record (it can quote the scheme)
    assert "Employment gap. No employment history for 8 months, from 2020-01 until 2020-09" in alice
    assert "Chair Person: explore at interview" in alice and "Member Person: explore at interview" in alice
    assessed = alice[alice.index("Interview assessment"):]
    assert "K1 Knowledge of systemic therapy." in assessed and "C1 Communicates clearly in spoken English." in assessed
    assert "D1 Experience" not in assessed  # assessed on the application form only
    assert f"Safeguarding question {SAFEGUARDING_Q}" in assessed
    assert assessed.index(SAFEGUARDING_Q) < assessed.index("How do you use systemic ideas with carers?")
    assert "0 No evidence 1 Limited evidence 2 Meets 3 Exceeds" in assessed  # the grid's descriptors
    assert assessed.count("Notes") >= 3 and "Overall notes for A001" in assessed

    bob = section(texts, "Candidate A002: Bob Brown")
    # the pack never says who is in the scheme (security review finding 4, issue 14 finding 5)
    assert "Guaranteed interview" not in bob and "offer an interview" not in bob and "scheme" not in bob
    assert "Recommendation: Invite to interview" in bob
    assert "A ground-floor room and extra time for the written exercise" in bob
    assert "None: no employment gap to explore" in bob


def test_sealed_data_never_reaches_the_pack(at_pack):
    text = " ".join(pdf_pages())
    for sealed in ("Prefer not to say", "unspent", "conviction", "disability_declared", "Disability declared",
                   "alice@example.net", "bob@example.net"):
        assert sealed not in text, sealed
    html = service.html(service.build(vacancy(), DocumentSpec()))
    assert "Prefer not to say" not in html and "conviction" not in html


def test_one_candidate_and_one_members_copy(at_pack):
    bob = pdf_pages(DocumentSpec("pack", "A002"))
    joined = " ".join(bob)
    assert "Interview pack for A002" in bob[0] and "Alice Adams" not in joined and "Candidate A001" not in joined
    assert "Candidate A002: Bob Brown" in joined
    assert len(bob) < len(pdf_pages())

    member = user(MEMBER)
    copy = pdf_pages(DocumentSpec("pack", "", member.id))
    assert all("Copy for Member Person" in t for t in copy)  # the footer of every page
    assert "Candidate A001: Alice Adams" in " ".join(copy)


def test_a_members_copy_marks_a_candidate_they_are_conflicted_with(at_pack):
    v, other = vacancy(), user("other@example.org")
    answers = {a.token: ("yes" if a.name == "Bob Brown" else "no", "My neighbour" if a.name == "Bob Brown" else "")
               for a in panel.applicants_for_declaration(v, other)}
    panel.declare_conflicts(v, other, answers)
    text = " ".join(pdf_pages(DocumentSpec("pack", "", user("other@example.org").id)))
    bob = text[text.index("Candidate A002: Bob Brown"):]
    assert "You declared a conflict of interest with this candidate, so you do not assess them" in bob
    assert "Interview assessment" not in bob


def refused(spec: DocumentSpec = DocumentSpec()) -> list[str]:
    with pytest.raises(DocumentRefused) as caught:
        service.generate(vacancy(), spec, audit.CLI)
    return caught.value.codes


def test_no_pack_before_the_shortlist_is_finalised():
    from tests.factories import load
    from tests.test_panel import campaign

    load(campaign())
    assert refused() == ["pack_shortlist_not_final", "pack_no_safeguarding_question"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.generated")) is None


def test_a_safeguarding_role_needs_a_safeguarding_question(at_pack):
    v = vacancy()
    vacancies.save_questions(v, user(CHAIR), {"K1": ["How do you use systemic ideas with carers?"]})
    assert refused() == ["pack_no_safeguarding_question"]
    v = vacancy()
    vacancies.save_questions(v, user(CHAIR), {"C1": ["How would you keep professional boundaries with a family?"]})
    assert pdf_pages()  # boundaries: a safeguarding question (R23)


def test_a_safeguarding_role_needs_an_in_date_trained_panel_member(app, at_pack, monkeypatch):
    monkeypatch.setitem(app.config, "SAFER_RECRUITMENT_REFRESH_YEARS", 1)  # the chair's 2025 training lapses
    with pytest.raises(DocumentRefused) as caught:
        service.generate(vacancy(), DocumentSpec(), audit.CLI)
    assert caught.value.codes == ["no_trained_panel_member"]
    assert "Training has expired for Chair Person (2025-03-01)" in str(caught.value)


def test_a_candidate_not_invited_has_no_pack(at_pack):
    assert refused(DocumentSpec("pack", "A003")) == ["not_invited"]


def test_table_headers_repeat_and_rows_never_split(app):
    ready(long_adjustments=True)  # two schedule rows, each over half a page tall
    texts = pdf_pages()
    schedule = [i for i, t in enumerate(texts) if "Room or link" in t]  # only the schedule's header says it
    assert len(schedule) == 2, "the schedule should spill over two pages for this test to mean anything"
    for i in schedule:  # the header is repeated on every page the schedule covers
        assert "Candidate Date Time Room or link Adjustments to make" in texts[i]
    for ref in ("A001", "A002"):  # each row whole on one page
        assert [i for i in schedule if f"START{ref}" in texts[i]] == [i for i in schedule if f"END{ref}" in texts[i]]
        assert len([i for i in schedule if f"START{ref}" in texts[i]]) == 1
    assert "STARTA002" not in texts[schedule[0]]  # the second row moved whole to the next page


def test_a_page_renders_to_a_png_that_is_not_blank(at_pack, tmp_path: Path):
    from PIL import Image

    pdf, _pages = service.generate(vacancy(), DocumentSpec("pack", "A001"), audit.CLI)
    (tmp_path / "pack.pdf").write_bytes(pdf)
    for page in (1, 3):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), "-singlefile",
                        str(tmp_path / "pack.pdf"), str(tmp_path / f"page{page}")], check=True)
        image = Image.open(tmp_path / f"page{page}.png").convert("L")
        width, height = image.size
        assert abs(height / width - 297 / 210) < 0.01  # an A4 page
        share = ink(image) / (width * height)
        assert 0.01 < share < 0.5, f"page {page}: {share:.1%} of the page is ink"
        # ink in the top and the bottom half: the layout did not collapse into one corner
        assert ink(image.crop((0, 0, width, height // 2))) > 200
        assert ink(image.crop((0, height // 2, width, height))) > 50


def ink(image) -> int:  # noqa: ANN001
    """Pixels darker than light grey."""
    return sum(image.histogram()[:200])


def test_the_shortlisting_record_holds_every_score_and_decision(at_pack):
    texts = pdf_pages(DocumentSpec("record"))
    text = " ".join(texts)
    assert all("OFFICIAL-SENSITIVE" in t and "TST-01 · Family Therapist · Shortlisting record" in t for t in texts)
    assert "Shortlisters Chair Person, Member Person" in text
    assert re.search(r"Shortlist Finalised \d+ December 2026 at \d\d:\d\d by Chair Person", text)
    assert "A003 Does not meet the essential criteria Not shortlisted Chair Person" in text
    a001 = text[text.index("Candidate A001: Alice Adams"):text.index("Candidate A002")]
    assert "Criterion Chair Person Member Person Agreed Rationale Result" in a001
    assert "K1 E 3 3 – Met" in a001
    a003 = text[text.index("Candidate A003"):]
    assert "Cara Cole" not in a003  # not shortlisted: never revealed
    assert "Essential criterion K1" in a003 and "is not met" in a003
    assert "Prefer not to say" not in text


def test_the_record_shows_overrides_and_agreed_scores_with_their_rationale(at_pack):
    from shortlist.models import AgreedScore, Decision

    v = vacancy()
    alice = panel.application_by_reference(v, "A001")
    k1 = next(c for c in v.criteria if c.key == "K1")
    db.session.add(AgreedScore(application_id=alice.id, criterion_id=k1.id, stage="shortlisting", value=3,
                               rationale="Clear evidence of systemic practice.", recorded_by_id=user(CHAIR).id))
    decision = db.session.scalar(select(Decision).where(Decision.application_id == alice.id))
    decision.override_reason, decision.reason = "withdrew", "Withdrew by e-mail."
    db.session.commit()
    record = service.build(vacancy(), DocumentSpec("record"))
    a001 = next(c for c in record.candidates if c.reference == "A001")
    k1_line = next(line for line in a001.lines if line.key == "K1")
    assert (k1_line.scores, k1_line.agreed, k1_line.rationale, k1_line.agreed_by) == (
        ("3", "3"), "3", "Clear evidence of systemic practice.", "Chair Person")
    assert a001.override == "HR override: The candidate withdrew. Withdrew by e-mail."
    assert [c.reference for c in record.overrides] == ["A001"]
    text = " ".join(pdf_pages(DocumentSpec("record")))
    assert "Overrides" in text and "HR override: The candidate withdrew. Withdrew by e-mail." in text
    assert "Clear evidence of systemic practice. (Chair Person)" in text


def test_the_record_as_csv(client, at_pack):
    from tests.app_fixtures import login

    login(client, HR)
    response = client.get("/vacancies/TST-01/shortlisting-record.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename=shortlisting-record-TST-01.csv;' in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("vacancy,candidate,name,criterion,essential,criterion_text,score: Chair Person,"
                               "score: Member Person,agreed,rationale,agreed_by,result,recommendation,decision")
    assert len(lines) == 1 + 3 * 2  # three candidates, two shortlisting criteria
    assert lines[1].startswith("TST-01,A001,Alice Adams,K1,yes,Knowledge of systemic therapy.,3,3,,,,Met,")
    assert any(line.startswith("TST-01,A003,,K1,yes") and "Not shortlisted" in line for line in lines)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.downloaded"))
    assert event.actor == HR and event.data["format"] == "csv" and event.data["kind"] == "record"


def test_the_fingerprint_follows_the_data_not_the_clock(at_pack):
    first = render.fingerprint(service.build(vacancy(), DocumentSpec()))
    assert render.fingerprint(service.build(vacancy(), DocumentSpec())) == first
    v = vacancy()
    interviews.arrange(v, panel.application_by_reference(v, "A001"), user(CHAIR), "2026-12-11", "09:00", "45", "Room 3")
    assert render.fingerprint(service.build(vacancy(), DocumentSpec())) != first


def test_the_pack_and_report_commands(runner, at_pack, tmp_path: Path):
    out = tmp_path / "pack.pdf"
    result = runner.invoke(args=["pack", "TST-01", "-o", str(out), "--candidate", "A002", "--member", MEMBER])
    assert result.exit_code == 0, result.output
    assert re.search(r"Wrote .*pack.pdf: the interview pack, \d+ pages", result.stdout)
    assert "Laying out the interview pack" in result.stderr  # the progress bar
    reader = PdfReader(out)
    assert "Copy for Member Person" in reader.pages[0].extract_text()
    assert "Candidate A002: Bob Brown" in " ".join(p.extract_text() for p in reader.pages)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.generated"))
    assert event.actor == "cli" and event.data["output"] == str(out) and event.data["candidate"] == "A002"

    csv_out = tmp_path / "record.csv"
    result = runner.invoke(args=["report", "TST-01", "--format", "csv", "-o", str(csv_out)])
    assert result.exit_code == 0, result.output
    assert csv_out.read_text().splitlines()[1].startswith("TST-01,A001,Alice Adams,K1")
    pdf_out = tmp_path / "record.pdf"
    assert runner.invoke(args=["report", "TST-01", "--format", "pdf", "-o", str(pdf_out)]).exit_code == 0
    assert "Shortlisting record: Family Therapist" in PdfReader(pdf_out).pages[0].extract_text()


def test_a_refused_pack_command_exits_2_with_the_reason(runner, tmp_path: Path):
    from tests.factories import load
    from tests.test_panel import campaign

    load(campaign())
    out = tmp_path / "pack.pdf"
    result = runner.invoke(args=["pack", "TST-01", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert "TST-01: the interview pack was not produced." in result.stderr
    assert "pack_shortlist_not_final: The shortlist is not finalised yet" in result.stderr
    assert "pack_no_safeguarding_question: This is a safeguarding role" in result.stderr
    result = runner.invoke(args=["pack", "TST-01", "-o", str(out), "--member", "nobody@example.org"])
    assert result.exit_code == 2 and "not_on_panel" in result.stderr
    assert runner.invoke(args=["pack", "NOPE", "-o", str(out)]).exit_code == 2
