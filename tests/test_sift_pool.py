"""Issue 19: a vacancy shares its applications among a sift pool instead of whole-panel scoring.

Each application is read by ``min_scorers`` pool members (balanced, never someone with a
declared conflict); a member's queue holds their allocation only and they cannot open
anything else; a conflict declared after allocation, a member who leaves or a new batch of
applications moves only what it affects, and submitted scores never move."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist import rules
from shortlist.extensions import db
from shortlist.models import AuditEvent, SiftAssignment, User, Vacancy
from shortlist.services import applications, audit, panel, panel_changes, sift
from shortlist.services.recommendations import recommend_vacancy
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, campaign_dict, load, make_user

SIFTERS = [f"sifter{i}@example.org" for i in range(1, 6)]


def _campaign(applicants: int = 20, **extra: Any) -> dict[str, Any]:
    data = campaign_dict("SIFT-01")
    template = data["applications"][0]
    template.pop("scores")
    data["panel"] = data["panel"][:1] + [
        {"email": e, "name": f"Sifter {i}", "role": "member", "safer_recruitment_trained_on": date(2025, 1, 1)}
        for i, e in enumerate(SIFTERS, start=1)]
    data["applications"] = [{**template, "reference": f"S{n:03d}", "name": f"Applicant {n:03d}",
                             "email": f"a{n}@example.net"} for n in range(1, applicants + 1)]
    data.update(extra)
    return data


def _vacancy() -> Vacancy:
    db.session.expire_all()
    return db.session.scalar(select(Vacancy).where(Vacancy.reference == "SIFT-01"))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _setup(applicants: int = 20, capacities: dict[str, str] | None = None) -> Vacancy:
    load(_campaign(applicants))
    make_user(HR, role=_hr_role())
    vacancy = _vacancy()
    hr = _user(HR)
    sift.set_pool(vacancy, hr, True, {_user(e).id: (capacities or {}).get(e, "") for e in SIFTERS})
    return _vacancy()


def _hr_role() -> Any:
    from shortlist.models import Role

    return Role.HR_ADMIN


def _allocation(vacancy: Vacancy) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for ref, email in db.session.execute(
            select(SiftAssignment.application_id, User.email).join(User, User.id == SiftAssignment.user_id)
            .where(SiftAssignment.vacancy_id == vacancy.id, SiftAssignment.purpose == "sift")).all():
        out.setdefault(ref, set()).add(email)
    refs = {a.id: a.reference for a in vacancy.applications}
    return {refs[k]: v for k, v in out.items()}


def _declare(vacancy: Vacancy, email: str, conflicted: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    user = _user(email)
    answers = {a.token: (("yes", "I know them") if a.name in conflicted else ("no", ""))
               for a in panel.applicants_for_declaration(vacancy, user)}
    panel.declare_conflicts(vacancy, user, answers)


def _submit(vacancy: Vacancy, ref: str, email: str, k1: int = 2, d1: int = 2) -> None:
    panel.save_sheet(vacancy, panel.application_by_reference(vacancy, ref), _user(email), "shortlisting",
                     {"K1": str(k1), "D1": str(d1)}, {}, {}, submit=True)


def test_allocation_gives_each_application_two_sifters_balanced_with_the_seed_in_the_audit_log(app) -> None:
    vacancy = _setup(20)
    outcome = sift.allocate(vacancy, _user(HR))
    vacancy = _vacancy()
    allocation = _allocation(vacancy)
    assert set(allocation) == {f"S{n:03d}" for n in range(1, 21)}
    assert all(len(members) == 2 for members in allocation.values())
    loads = Counter(e for members in allocation.values() for e in members)
    assert set(loads) == set(SIFTERS) and max(loads.values()) - min(loads.values()) <= 1
    assert CHAIR not in loads  # not in the pool: the chair moderates
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sift.allocated")).one()
    assert event.data["seed"] == outcome.seed and event.data["applications"] == 20 and event.data["added"] == 40
    # the same seed gives the same allocation
    db.session.execute(SiftAssignment.__table__.delete())
    db.session.commit()
    sift.allocate(_vacancy(), _user(HR), seed=outcome.seed)
    assert _allocation(_vacancy()) == allocation


def test_a_members_queue_is_their_allocation_and_nothing_else_opens(client, app) -> None:
    vacancy = _setup(20)
    sift.allocate(vacancy, _user(HR))
    vacancy = _vacancy()
    allocation = _allocation(vacancy)
    mine = sorted(r for r, members in allocation.items() if SIFTERS[0] in members)
    others = sorted(r for r, members in allocation.items() if SIFTERS[0] not in members)
    # they declare about the applicants allocated to them only
    assert len(panel.applicants_for_declaration(vacancy, _user(SIFTERS[0]))) == len(mine)
    _declare(vacancy, SIFTERS[0])
    login(client, SIFTERS[0])
    page = client.get("/vacancies/SIFT-01/scoring").get_data(as_text=True)
    for ref in mine:
        assert ref in page
    for ref in others:
        assert ref not in page
    assert client.get(f"/vacancies/SIFT-01/scoring/{mine[0]}").status_code == 200
    assert client.get(f"/vacancies/SIFT-01/scoring/{others[0]}").status_code == 404
    # a submission for an application not allocated to them is refused and stores nothing
    response = client.post(f"/vacancies/SIFT-01/scoring/{others[0]}",
                           data={"score-K1": "2", "score-D1": "2", "submit": "Submit"})
    assert response.status_code in (200, 404)
    vacancy = _vacancy()
    try:
        _submit(vacancy, others[0], SIFTERS[0])
    except panel.PanelRefused as refused:
        assert refused.problems[0].code in ("not_allocated", "conflicts_not_declared")
    else:
        raise AssertionError("scored an application not allocated to them")
    assert not panel.submitted_scores(panel.application_by_reference(_vacancy(), others[0]), "shortlisting")


def test_a_conflict_declared_before_allocation_is_respected_and_one_after_moves_only_that_application(app) -> None:
    vacancy = _setup(20)
    sift.allocate(vacancy, _user(HR))
    vacancy = _vacancy()
    before = _allocation(vacancy)
    member = SIFTERS[1]
    mine = sorted(r for r, m in before.items() if member in m)
    # they submit one, then find they know the applicant of another
    _declare(vacancy, member)
    _submit(_vacancy(), mine[0], member)
    known = mine[1]
    name = f"Applicant {known[1:]}"
    _declare(_vacancy(), member, {name})
    after = _allocation(_vacancy())
    assert member not in after[known] and len(after[known]) == 2
    changed = {r for r in before if before[r] != after[r]}
    assert changed == {known}
    assert member in after[mine[0]]  # the submitted sheet stays where it is
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sift.allocated")
                               .order_by(AuditEvent.seq.desc())).first()
    assert event.data["reason"] == "conflict_declared" and event.data["removed"] == 1 and event.data["added"] == 1


def test_a_member_who_leaves_has_only_their_unscored_applications_moved_and_their_scores_count(app) -> None:
    vacancy = _setup(20)
    sift.allocate(vacancy, _user(HR))
    vacancy = _vacancy()
    before = _allocation(vacancy)
    leaver = SIFTERS[2]
    mine = sorted(r for r, m in before.items() if leaver in m)
    _declare(vacancy, leaver)
    _submit(_vacancy(), mine[0], leaver, 3, 3)
    vacancy = _vacancy()
    membership = next(m for m in vacancy.panel if m.user.email == leaver)
    panel_changes.remove_member(vacancy, _user(HR), membership, "Left the organisation")
    after = _allocation(_vacancy())
    assert leaver in after[mine[0]]  # submitted: kept, and counted
    for ref in mine[1:]:
        assert leaver not in after[ref] and len(after[ref]) == 2
    assert {r for r in before if before[r] != after[r]} == set(mine[1:])
    assert [s.email for s in panel.submitted_scores(panel.application_by_reference(_vacancy(), mine[0]),
                                                    "shortlisting")] == [leaver]
    # only their applications were looked at, and the loads stay balanced within one
    loads = Counter(e for m in after.values() for e in m if e != leaver)
    assert max(loads.values()) - min(loads.values()) <= 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sift.allocated")
                               .order_by(AuditEvent.seq.desc())).first()
    assert event.data["reason"] == "member_left" and event.data["applications"] == len(mine)


def test_a_new_batch_of_applications_is_shared_out_without_moving_the_rest(app) -> None:
    vacancy = _setup(10)
    sift.allocate(vacancy, _user(HR))
    before = _allocation(_vacancy())
    template = _campaign(1)["applications"][0]
    spec = cf.parse(cf.dump({**_campaign(1), "applications": [{**template, "reference": "S900",
                                                                "name": "Late Applicant"}]})).applications[0]
    applications.add_application(_vacancy(), spec, audit.CLI)
    after = _allocation(_vacancy())
    assert len(after["S900"]) == 2
    assert {r: after[r] for r in before} == before


def test_the_engine_counts_the_allocated_scorers(app) -> None:
    vacancy = _setup(6)
    sift.allocate(vacancy, _user(HR))
    allocation = _allocation(_vacancy())
    first, second = sorted(allocation["S001"])
    for email in (first, second):
        _declare(_vacancy(), email)
    _submit(_vacancy(), "S001", first)
    recs = {r.reference: r for r in recommend_vacancy(_vacancy())}
    assert rules.codes.INSUFFICIENT_SCORERS in {x.code for x in recs["S001"].reasons}
    _submit(_vacancy(), "S001", second)
    recs = {r.reference: r for r in recommend_vacancy(_vacancy())}
    assert rules.codes.INSUFFICIENT_SCORERS not in {x.code for x in recs["S001"].reasons}
    assert recs["S001"].outcome is rules.Outcome.MEETS_ESSENTIALS


def test_a_third_reader_can_be_allocated_for_moderation_and_then_reads_it(client, app) -> None:
    vacancy = _setup(6)
    sift.allocate(vacancy, _user(HR))
    first_two = _allocation(_vacancy())["S002"]
    reader = sift.add_third_reader(_vacancy(), panel.application_by_reference(_vacancy(), "S002"), _user(CHAIR))
    assert reader.email in SIFTERS and reader.email not in first_two
    assert _allocation(_vacancy())["S002"] == first_two  # the sift readers stay
    _declare(_vacancy(), reader.email)
    login(client, reader.email)
    assert client.get("/vacancies/SIFT-01/scoring/S002").status_code == 200
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sift.third_reader")).one()


def test_capacity_is_respected(app) -> None:
    vacancy = _setup(20, capacities={SIFTERS[0]: "3"})
    sift.allocate(vacancy, _user(HR))
    loads = Counter(e for m in _allocation(_vacancy()).values() for e in m)
    assert loads[SIFTERS[0]] == 3


def test_the_pool_page_sets_the_pool_and_names_a_bad_capacity(client, app) -> None:
    load(_campaign(4))
    make_user(HR, role=_hr_role())
    ids = {e: _user(e).id for e in SIFTERS}
    login(client, SIFTERS[0])
    assert client.get("/vacancies/SIFT-01/sift-pool").status_code == 403
    login(client, HR)
    page = client.get("/vacancies/SIFT-01/sift-pool").get_data(as_text=True)
    assert "Sift pool" in page and "Sifter 1" in page
    bad = client.post("/vacancies/SIFT-01/sift-pool", data={
        "use_pool": "yes", "members": [str(ids[e]) for e in SIFTERS[:3]], f"capacity-{ids[SIFTERS[0]]}": "lots"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "govuk-error-summary" in text and "Sifter 1&#39;s capacity" in text
    assert _vacancy().sift is None
    ok = client.post("/vacancies/SIFT-01/sift-pool", data={
        "use_pool": "yes", "members": [str(ids[e]) for e in SIFTERS[:3]], f"capacity-{ids[SIFTERS[0]]}": "2"})
    assert ok.status_code == 302
    pool = _vacancy().sift
    assert pool is not None and {m.user.email: m.capacity for m in pool.members} == {
        SIFTERS[0]: 2, SIFTERS[1]: None, SIFTERS[2]: None}
    allocated = client.post("/vacancies/SIFT-01/sift-pool/allocate", data={})
    assert allocated.status_code == 302
    assert all(len(m) == 2 for m in _allocation(_vacancy()).values())
    assert "Allocated" in client.get("/vacancies/SIFT-01/sift-pool").get_data(as_text=True)


def test_a_campaign_file_sets_the_sift_pool_and_exports_it(app) -> None:
    data = _campaign(4)
    data["vacancy"]["sift_pool"] = {"members": [{"email": SIFTERS[0], "capacity": 3}, {"email": SIFTERS[1]},
                                                {"email": SIFTERS[2]}]}
    load(data)
    pool = _vacancy().sift
    assert pool is not None and {m.user.email: m.capacity for m in pool.members} == {
        SIFTERS[0]: 3, SIFTERS[1]: None, SIFTERS[2]: None}
    from shortlist.services.campaigns import export_campaign

    exported = cf.parse(cf.dump(export_campaign("SIFT-01")))
    assert exported.vacancy.sift_pool == ((SIFTERS[0], 3), (SIFTERS[1], None), (SIFTERS[2], None))
    bad = _campaign(4)
    bad["vacancy"]["sift_pool"] = {"members": [{"email": "nobody@example.org"}]}
    try:
        cf.parse(cf.dump(bad))
    except cf.CampaignError as exc:
        assert "vacancy.sift_pool.members[0]" in str(exc)
    else:
        raise AssertionError("a pool member not on the panel was accepted")


def test_a_sifters_progress_counts_their_sheets_on_their_allocation_at_the_stage(app) -> None:
    from shortlist.models import ScoreSheet
    from shortlist.models.base import utcnow

    vacancy = _setup(20)
    sift.allocate(vacancy, _user(HR))
    vacancy = _vacancy()
    sifter = SIFTERS[0]
    mine = sorted(r for r, m in _allocation(vacancy).items() if sifter in m)
    others = sorted(r for r, m in _allocation(vacancy).items() if sifter not in m)
    _declare(vacancy, sifter)
    _submit(_vacancy(), mine[0], sifter)
    vacancy = _vacancy()
    panel.save_sheet(vacancy, panel.application_by_reference(vacancy, mine[1]), _user(sifter), "shortlisting",
                     {"K1": "2"}, {}, {}, submit=False)
    # neither counts: a draft left on an application no longer theirs, a sheet at interview
    by_ref = {a.reference: a.id for a in _vacancy().applications}
    user_id = _user(sifter).id
    db.session.add_all([ScoreSheet(application_id=by_ref[others[0]], user_id=user_id, stage="shortlisting",
                                   updated_at=utcnow()),
                        ScoreSheet(application_id=by_ref[mine[2]], user_id=user_id, stage="interview",
                                   submitted_at=utcnow(), updated_at=utcnow())])
    db.session.commit()
    shown = {p.email: p for p in panel.progress(_vacancy(), "shortlisting")}
    assert (shown[sifter].submitted, shown[sifter].drafts, shown[sifter].to_score) == (1, 1, len(mine))
    assert all((p.submitted, p.drafts) == (0, 0) for e, p in shown.items() if e != sifter)


def test_the_sift_pools_pages_send_the_same_statements_at_any_size(client, app) -> None:
    from bench import harness

    make_user(HR, role=_hr_role())
    for ref, n in (("SIFT-S", 10), ("SIFT-L", 60)):
        data = _campaign(n)
        data["vacancy"]["reference"] = ref
        load(data)
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == ref))
        sift.set_pool(vacancy, _user(HR), True, {_user(e).id: "" for e in SIFTERS})
        sift.allocate(db.session.scalar(select(Vacancy).where(Vacancy.reference == ref)), _user(HR))
        for who in (CHAIR, SIFTERS[0]):
            vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == ref))
            panel.declare_conflicts(vacancy, _user(who), {a.token: ("no", "") for a in
                                                           panel.applicants_for_declaration(vacancy, _user(who))})
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == ref))
        first = min(r for r, m in _allocation(vacancy).items() if SIFTERS[0] in m)
        panel.save_sheet(vacancy, panel.application_by_reference(vacancy, first), _user(SIFTERS[0]), "shortlisting",
                         {"K1": "2", "D1": "2"}, {}, {}, submit=True)
    counts: dict[str, list[int]] = {}
    for ref in ("SIFT-S", "SIFT-L"):
        for who, path in ((CHAIR, f"/vacancies/{ref}/moderation"), (CHAIR, f"/vacancies/{ref}/moderation?show=needs"),
                          (CHAIR, f"/vacancies/{ref}/scoring"), (SIFTERS[0], f"/vacancies/{ref}/scoring"),
                          (HR, f"/vacancies/{ref}/sift-pool")):
            login(client, who)
            client.get(path)  # the session's first-seen writes
            with harness.counting() as counted:
                assert client.get(path).status_code == 200, (who, path)
            counts.setdefault(f"{who} {path.replace(ref, 'REF')}", []).append(counted.statements)
    for page, (small, large) in counts.items():
        assert small == large, (page, small, large)


def test_whether_a_sifter_has_declared_about_everyone_is_asked_in_one_query_with_the_same_answer(app) -> None:
    from bench import harness

    vacancy = _setup(12)
    sift.allocate(vacancy, _user(HR))
    sifter = _user(SIFTERS[1])

    def both() -> tuple[bool, bool]:
        vacancy = _vacancy()
        assert vacancy.sift is not None and sifter.id  # loaded, as the page has them
        with harness.counting() as counted:
            quick = panel.declarations_complete(vacancy, sifter)
        assert counted.statements == 1
        return quick, panel.conflict_state(vacancy, sifter).complete

    assert both() == (False, False)
    _declare(_vacancy(), SIFTERS[2])  # someone else's answers are not theirs
    assert both() == (False, False)
    _declare(_vacancy(), SIFTERS[1])
    assert both() == (True, True)
    # a new batch shared out: what came to them is still to answer
    template = _campaign(1)["applications"][0]
    batch = cf.parse(cf.dump({**_campaign(1), "applications": [
        {**template, "reference": f"S9{n:02d}", "name": f"Late Applicant {n}"} for n in range(10)]})).applications
    for spec in batch:
        applications.add_application(_vacancy(), spec, audit.CLI)
    mine = {r for r, m in _allocation(_vacancy()).items() if SIFTERS[1] in m}
    assert both() == ((False, False) if any(r.startswith("S9") for r in mine) else (True, True))
