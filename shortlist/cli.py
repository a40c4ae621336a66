"""The `shortlist` command: Flask's CLI (run, db, shell) plus the project's own commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from shortlist import campaign_format as cf
from shortlist.rules.vocabulary import ORGANISATION_ROLES, STAGES, USER_ROLES

DEMO_PASSWORD_ENV = "SHORTLIST_DEMO_PASSWORD"  # the variable's name  # nosec B105
DEMO_PASSWORD = "shortlist-demo-2026"  # the demo's published password (README.md)  # nosec B105


def seeds_dir() -> Path:
    """The demo campaigns: ``seeds/`` in a checkout, ``shortlist/seeds`` installed."""
    import shortlist.seeds

    return Path(shortlist.seeds.__file__).resolve().parent


def _fail(message: str, code: int = 2) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _create_app() -> Flask:
    from shortlist import create_app

    return create_app()


def main() -> None:
    """Console-script entry point."""
    cli = FlaskGroup(create_app=_create_app, help="Shortlist: fair, lawful, auditable shortlisting.")
    cli.add_command(import_spec_command)  # needs no app or database
    cli.main(prog_name="shortlist")


def register_commands(app: Flask) -> None:
    app.cli.add_command(load_command)
    app.cli.add_command(export_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(two_factor_reset_command)
    app.cli.add_command(create_organisation_command)
    app.cli.add_command(organisation_sign_in_command)
    app.cli.add_command(audit_group)
    app.cli.add_command(recommend_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(close_applications_command)
    app.cli.add_command(pack_command)
    app.cli.add_command(report_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(tick_command)


def _upgrade_database() -> None:
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)


def load_file(path: Path, *, replace: bool = False) -> str:
    """Load one campaign file, printing the engine's warnings; raise CampaignError/CampaignExists on refusal."""
    from shortlist.services.vacancy_checks import field_path
    from shortlist.services import audit
    from shortlist.services.campaigns import load_campaign

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise cf.CampaignError([cf.Problem("", f"the file is not UTF-8 text (byte {exc.start})")]) from exc
    campaign = cf.parse(text)
    warnings: list = []
    vacancy = load_campaign(campaign, audit.CLI, filename=path.name, replace=replace, warnings=warnings)
    for finding in warnings:
        click.echo(f"{path.name}: warning: {field_path(finding)}: {finding.message} [{finding.code}]", err=True)
    return vacancy.reference


@click.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a campaign with the same reference.")
def load_command(file: Path, replace: bool) -> None:
    """Load a campaign file: all of it, or nothing (exit status 2 on an invalid file)."""
    from shortlist.services.campaigns import CampaignExists

    _upgrade_database()
    try:
        reference = load_file(file, replace=replace)
    except cf.CampaignError as exc:
        lines = [f"{file.name}: {p}" for p in exc.problems]
        _fail(f"{file.name}: not loaded; nothing was changed.\n" + "\n".join(lines))
    except CampaignExists as exc:
        _fail(f"{file.name}: not loaded; nothing was changed.\n{file.name}: {exc}")
    click.echo(f"Loaded {reference} from {file.name}")


@click.command("export")
@click.argument("reference")
@click.option("--no-sealed", is_flag=True, help="Leave out equality monitoring and criminal-record declarations.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def export_command(reference: str, no_sealed: bool, output: Path | None) -> None:
    """Print a campaign in the campaign-file format."""
    from shortlist.services import audit
    from shortlist.services.campaigns import dump_yaml, export_recorded

    data = export_recorded(reference, audit.CLI, include_sealed=not no_sealed)
    if data is None:
        _fail(f"No vacancy with reference {reference!r}")
        return
    text = dump_yaml(data)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}")
    else:
        click.echo(text, nl=False)


@click.command("demo")
@click.option("--reset/--keep", default=True, help="Start from an empty database (default) or keep it.")
def demo_command(reset: bool) -> None:
    """Create the database and load the demo users and the three seed campaigns."""
    from shortlist.demo import load_demo

    if reset:
        _reset_database()
    _upgrade_database()
    password = os.environ.get(DEMO_PASSWORD_ENV, DEMO_PASSWORD)
    load_demo(seeds_dir(), password, say=click.echo, warn=lambda line: click.echo(line, err=True))
    click.echo(f"Demo ready. Sign in with any demo user (see README.md); password: {password}")


def _reset_database() -> None:
    from shortlist.extensions import db

    engine = db.engine
    db.drop_all()
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(sorted(set(USER_ROLES) | set(ORGANISATION_ROLES))), required=True,
              help="hr_admin, hr_adviser or recruiting_manager: held in each --organisation; panel_member: "
                   "none (panels are per vacancy).")
@click.option("--organisation", "codes", multiple=True, metavar="CODE",
              help="An organisation's code (repeat for several); needed for an organisation role unless "
                   "there is only one organisation.")
@click.option("--system-admin", is_flag=True, default=None, help="May create organisations.")
@click.password_option(help="At least 12 characters.")
def create_user_command(email: str, name: str, role: str, codes: tuple[str, ...], system_admin: bool | None,
                        password: str) -> None:
    """Create a user (or update their name and password, adding the role in the organisations named)."""
    from shortlist.services import audit, organisations, users

    chosen = []
    for code in codes:
        found = organisations.by_code(code)
        if found is None:
            known = ", ".join(o.code for o in organisations.all_organisations()) or "none yet"
            _fail(f"--organisation: no organisation has the code {code} (codes: {known})")
        chosen.append(found)
    if role in ORGANISATION_ROLES and not chosen:
        every = organisations.all_organisations()
        if len(every) == 1:
            chosen = every
        else:
            _fail("--organisation: name the organisation the role is held in "
                  f"(codes: {', '.join(o.code for o in every) or 'none yet: create one with create-organisation'})")
    try:
        users.upsert_user(email, name, role, password, audit.CLI, chosen, system_admin=system_admin)
    except users.PasswordRejected as exc:
        _fail(f"password: {exc}")
    click.echo(f"Saved {email}")


@click.command("two-factor-reset")
@click.argument("email")
def two_factor_reset_command(email: str) -> None:
    """Turn off someone's two-factor sign-in: they lost their app and their recovery codes
    (check who they are first). HR set it up again at their next sign-in."""
    from shortlist.services import audit, two_factor, users

    user = users.find_by_email(email)
    if user is None:
        _fail(f"No user {email}")
        return
    if two_factor.reset(user, audit.CLI):
        click.echo(f"Two-factor sign-in is off for {user.email}")
    else:
        click.echo(f"{user.email} did not have two-factor sign-in on; nothing changed")


@click.command("organisation-sign-in")
@click.argument("code")
@click.option("--password-sign-in", type=click.Choice(["on", "off"]), required=True,
              help="off: people whose address is in the organisation's e-mail domains sign in through its "
                   "single sign-on (SSO_SETTINGS_FILE) only.")
def organisation_sign_in_command(code: str, password_sign_in: str) -> None:
    """Whether an organisation's people may sign in with a password."""
    from shortlist.services import audit, organisations, sso

    allowed = {"on": True, "off": False}[password_sign_in]
    found = organisations.set_password_sign_in(audit.CLI, code, allowed)
    if found is None:
        _fail(f"No organisation has the code {code.upper()}")
        return
    click.echo(f"{found.code}: password sign-in {password_sign_in}")
    if not found.password_sign_in and sso.connection(found.code) is None:
        click.echo(f"{found.code} has no single sign-on in SSO_SETTINGS_FILE, so its people still sign in "
                   "with a password until it has", err=True)


@click.command("create-organisation")
@click.option("--name", required=True)
@click.option("--code", required=True, help="2 to 20 capital letters, digits or hyphens, e.g. KCC.")
@click.option("--domain", "domains", multiple=True, help="An e-mail domain of its staff (repeat for several).")
@click.option("--retention-months", default=None, help="Its vacancies' default retention period.")
def create_organisation_command(name: str, code: str, domains: tuple[str, ...], retention_months: str | None) -> None:
    """Create an organisation (an employer whose vacancies its own HR see)."""
    from shortlist.services import audit, organisations
    from shortlist.services.refusals import OrganisationRefused

    try:
        created = organisations.create(audit.CLI, name, code, "\n".join(domains), retention_months)
    except OrganisationRefused as refused:
        _fail("; ".join(f"--{(p.field or '').replace('_', '-')}: {p.message}" for p in refused.problems))
    click.echo(f"Created {created.code}: {created.name}")


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log."""


def _anchors_option(required: bool) -> Any:
    return click.option("--anchors", "anchors", type=click.Path(dir_okay=False, path_type=Path),
                        envvar="AUDIT_ANCHOR_FILE", required=required, show_envvar=True,
                        help="The anchors file, kept where the database's user cannot change it.")


@audit_group.command("verify")
@_anchors_option(required=False)
def audit_verify(anchors: Path | None) -> None:
    """Check the hash chain; name the first broken row (exit status 1 when broken). With an
    anchors file (--anchors or AUDIT_ANCHOR_FILE), also check every anchored row is unchanged."""
    from shortlist.services import audit, audit_anchor

    broken = audit.verify()
    if broken is not None:
        _fail(f"Audit log BROKEN at row {broken.seq}: {broken.message}", code=1)
    count = audit.count()
    if anchors is not None:
        if not anchors.exists():
            _fail(f"Audit log NOT CHECKED against anchors: {anchors} does not exist", code=1)
        problems = audit_anchor.check(anchors)
        if problems:
            _fail("Audit log BROKEN against its anchors: " + "; ".join(problems), code=1)
        click.echo(f"Audit log intact: {count} rows; every anchor in {anchors.name} matches")
        return
    click.echo(f"Audit log intact: {count} rows")


@audit_group.command("anchor")
@_anchors_option(required=True)
def audit_anchor_command(anchors: Path) -> None:
    """Append the audit log's head (row number and hash) to the anchors file; run it from a
    scheduler, every few minutes, as a user who may append to that file."""
    from shortlist.services import audit, audit_anchor

    broken = audit.verify()
    if broken is not None:  # never anchor a broken chain
        _fail(f"Audit log BROKEN at row {broken.seq}: {broken.message}; nothing anchored", code=1)
    anchor = audit_anchor.append(anchors)
    if anchor is None:
        click.echo("The audit log is empty: nothing to anchor")
        return
    click.echo(f"Anchored row {anchor.seq} ({anchor.hash[:12]}...) in {anchors}")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Remove personal data past its retention period, except what a legal hold covers."""
    from shortlist.services import audit, retention

    result = retention.purge(audit.CLI, dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    for vp in result.vacancies:
        click.echo(f"{vp.reference}: {vp.state}")
        if vp.purge:
            click.echo(f"  {verb} personal data of: {', '.join(ref for _, ref in vp.purge)}")
        if vp.kept_on_hold:
            click.echo(f"  Kept on legal hold: {', '.join(vp.kept_on_hold)}")
        if vp.declarations:
            click.echo(f"  {verb} criminal-record declarations (6 months after the decision): "
                       f"{', '.join(d.reference for d in vp.declarations)}")
        if vp.declarations_on_hold:
            click.echo(f"  Declarations kept on legal hold: {', '.join(vp.declarations_on_hold)}")
    click.echo(f"{verb} {result.applications} application(s) and {result.declarations} declaration(s)"
               + ("; nothing was changed." if dry_run else "; recorded in the audit log."))
    if result.skipped:  # reported, after everything else was done: a scheduler sees the exit status
        for vp in result.skipped:
            click.echo(f"{vp.reference}: {vp.state}", err=True)
        raise SystemExit(1)


@click.command("close-applications")
def close_applications_command() -> None:
    """Close applications for every published vacancy past its closing date (run daily)."""
    from shortlist.services import closing

    closed = closing.close_due()
    for reference in closed:
        click.echo(f"{reference}: applications closed (the closing date has passed); shortlisting can start")
    click.echo(f"Closed applications for {len(closed)} vacanc{'y' if len(closed) == 1 else 'ies'}"
               + ("; recorded in the audit log." if closed else "."))


OUTCOME_LABELS = {
    "guaranteed_interview": "Guaranteed interview",
    "meets_essentials": "Meets essentials",
    "does_not_meet": "Does not meet",
    "hr_review": "HR review",
    "incomplete": "Incomplete",
}


@click.command("recommend")
@click.argument("reference")
@click.option("--stage", type=click.Choice(STAGES), default="shortlisting", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def recommend_command(reference: str, stage: str, as_json: bool) -> None:
    """The rules engine's recommendation for every candidate, with reasons (never a decision)."""
    import json

    from shortlist.services import vacancies
    from shortlist.services.recommendations import recommend_vacancy

    vacancy = vacancies.by_reference(reference, with_panel=True)
    if vacancy is None:
        _fail(f"No vacancy with reference {reference!r}")
        return
    recommendations = recommend_vacancy(vacancy, stage)
    if as_json:
        candidates = []
        for r in recommendations:
            item = r.to_dict()
            item["outcome"] = r.outcome.value
            candidates.append(item)
        click.echo(json.dumps({"vacancy": reference, "stage": stage, "candidates": candidates}, indent=2))
        return
    lines = [f"{vacancy.title} ({reference}), {stage}: {len(recommendations)} candidates",
             "Recommendations only: a named person confirms every decision.\n"]
    for r in recommendations:  # written at once: thousands of lines at campaign scale
        lines.append(f"{r.reference:<10} {OUTCOME_LABELS.get(r.outcome.value, r.outcome.value)}"
                     f"{'' if r.within_cap else ' (beyond the interview cap)'}")
        for reason in r.reasons:
            where = f"[{reason.criterion}] " if reason.criterion else ""
            lines.append(f"{'':<10}   {reason.code}: {where}{reason.message}")
        for probe in r.probes:
            lines.append(f"{'':<10}   probe {probe.code}: {probe.message}")
    click.echo("\n".join(lines))


@click.command("import-spec")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON.")
def import_spec_command(path: Path, as_json: bool) -> None:
    """Propose criteria and vacancy facts from a person specification (.txt, .docx or .pdf)."""
    import json

    from shortlist.specimport import SpecImportError, import_spec

    try:
        proposal = import_spec(path.read_bytes(), path.name)
    except SpecImportError as exc:
        _fail(f"{path.name}: {exc.message}")
        return
    if as_json:
        click.echo(json.dumps(proposal.to_json(), indent=2, ensure_ascii=False))
        return
    data = proposal.to_json()
    click.echo(f"{path.name}: {len(proposal.criteria)} criteria proposed (nothing is saved until a manager confirms)")
    category = None
    for c in data["criteria"]:
        if c["category"] != category:
            category = c["category"]
            click.echo(f"\n{category}")
        marks = ("E" if c["essential"] else "D") + (" S" if c["shortlisting"] else "  ")
        click.echo(f"  [{marks}] {'/'.join(c['methods']):<8} {c['text']}  ({c['confidence']:.2f})")
        for doubt in c["doubts"]:
            click.echo(f"{'':<15}check: {doubt['message']}")
    dbs = data["dbs"]
    click.echo(f"\nDBS: {dbs['level']}" + (f", barred lists: {', '.join(dbs['barred_lists'])}" if dbs["barred_lists"] else ""))
    click.echo(f"Disability Confident: {data['disability_confident']}; waiver policy: {data['waiver_policy']}")
    for warning in data["warnings"]:
        click.echo(f"warning: {warning}")


# --------------------------------------------------------------------------- packs and records


def _vacancy_or_fail(reference: str):  # noqa: ANN202 - a Vacancy
    from shortlist.services import vacancies

    vacancy = vacancies.by_reference(reference)
    if vacancy is None:
        _fail(f"No vacancy with reference {reference!r}")
    return vacancy


def _write_pdf(vacancy, spec, output: Path, what: str) -> None:  # noqa: ANN001
    """Make the PDF now, with a progress bar of pages laid out; exit 2 naming each refusal."""
    from contextlib import ExitStack

    from shortlist.services import audit
    from shortlist.services import packs as documents

    with ExitStack() as stack:
        bars: list = []

        def progress(done: int, expected: int) -> None:
            if not bars:
                bars.append(stack.enter_context(click.progressbar(
                    length=expected, label=f"Laying out {what}", file=sys.stderr, show_pos=True)))
            bar = bars[0]
            if done > bar.length:
                bar.length = done
            bar.update(done - bar.pos)

        try:
            pdf, pages = documents.generate(vacancy, spec, audit.CLI, output=str(output), on_progress=progress)
        except documents.DocumentRefused as refused:
            stack.close()
            _fail(f"{vacancy.reference}: {what} was not produced.\n"
                  + "\n".join(f"{p.code}: {p.message}" for p in refused.problems))
            return
    output.write_bytes(pdf)
    click.echo(f"Wrote {output}: {what}, {pages} pages")


@click.command("pack")
@click.argument("reference")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write.")
@click.option("--candidate", default="", help="One invited candidate's pack (their reference, e.g. A001).")
@click.option("--member", default="", help="A panel member's own copy (their e-mail): their name in the footer.")
def pack_command(reference: str, output: Path, candidate: str, member: str) -> None:
    """Write a vacancy's interview pack as a PDF (exit status 2 says why when it is refused)."""
    from shortlist.services import packs as documents

    vacancy = _vacancy_or_fail(reference)
    try:
        person = documents.member_for(vacancy, member or None)
    except documents.DocumentRefused as refused:
        _fail(f"{reference}: the interview pack was not produced.\n" + "\n".join(
            f"{p.code}: {p.message}" for p in refused.problems))
        return
    spec = documents.DocumentSpec("pack", candidate.strip(), person.id if person else None)
    _write_pdf(vacancy, spec, output, "the interview pack")


@click.command("report")
@click.argument("reference")
@click.option("--format", "file_format", type=click.Choice(["pdf", "csv"]), required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report_command(reference: str, file_format: str, output: Path) -> None:
    """Write a vacancy's shortlisting record (every score, agreed score, decision and override) for HR."""
    from shortlist.services import packs as documents

    vacancy = _vacancy_or_fail(reference)
    if file_format == "csv":
        output.write_text(documents.record_csv(vacancy, None), encoding="utf-8", newline="")
        click.echo(f"Wrote {output}: the shortlisting record as CSV")
        return
    _write_pdf(vacancy, documents.DocumentSpec("record"), output, "the shortlisting record")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run the jobs on the RQ queue at REDIS_URL: documents (interview packs, records) and e-mails."""
    from rq import SimpleWorker

    from shortlist import worker

    queue = worker.rq_queue()
    if queue is None:
        _fail("REDIS_URL is not set: without it the web app makes documents and sends e-mail in a thread of its own.")
        return
    click.echo(f"Working on queue {queue.name} at {worker.redis_url()}")
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


@click.command("tick")
def tick_command() -> None:
    """Scheduled work, for cron or a systemd timer every few minutes: settle messages a dead
    worker left, close applications past their closing date, queue the scoring reminders and
    the chair's and HR's notices, deliver what is due, and once a day the retention purge.
    Safe to run twice at once: the second does nothing."""
    from shortlist.services import scheduler

    report = scheduler.tick()
    if not report.ran:
        click.echo("Another tick is running: nothing done.")
        return
    for name, value in report.steps.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "nothing"
        elif isinstance(value, list):
            value = ", ".join(map(str, value)) or "nothing"
        click.echo(f"{name}: {value}")
    if report.failed:
        _fail(f"Failed: {', '.join(report.failed)} (see the log)", code=1)
