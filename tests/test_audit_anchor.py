"""Security review, "decide and document": the audit chain's head is anchored outside the
database (`shortlist audit anchor`), and `shortlist audit verify --anchors` checks against it,
so rewriting the tail of the chain together with its head (which the database's own check
cannot see) no longer passes."""

from __future__ import annotations

from sqlalchemy import select, update

from shortlist.extensions import db
from shortlist.models import AuditEvent, AuditHead
from shortlist.services import audit
from tests.factories import campaign_dict, load


def _rewrite_tail_with_its_head(keep: int) -> None:
    """What someone who can write the database can do: drop every row after ``keep`` and
    append one of their own, hashed and chained properly, with the head to match."""
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq > keep))
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(
        seq=keep, hash=db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == keep))))
    db.session.commit()
    audit.record(audit.CLI, "auth.logout", email="someone@example.org")
    db.session.commit()


def test_a_rewritten_tail_passes_the_chain_check_but_not_the_anchors(app, tmp_path):
    runner = app.test_cli_runner()
    anchors = tmp_path / "audit-anchors.log"
    load(campaign_dict())
    anchored = runner.invoke(args=["audit", "anchor", "--anchors", str(anchors)])
    assert anchored.exit_code == 0, anchored.output
    head = db.session.scalar(select(AuditHead.seq))
    assert f"Anchored row {head}" in anchored.output and len(anchors.read_text().splitlines()) == 1
    ok = runner.invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert ok.exit_code == 0 and "every anchor in audit-anchors.log matches" in ok.output

    _rewrite_tail_with_its_head(keep=head - 1)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # the chain alone cannot tell
    broken = runner.invoke(args=["audit", "verify"], env={"AUDIT_ANCHOR_FILE": str(anchors)})
    assert broken.exit_code == 1
    assert "audit-anchors.log line 1" in broken.output and f"row {head} has been rewritten since" in broken.output


def test_a_truncated_log_and_a_missing_anchors_file_fail(app, tmp_path):
    runner = app.test_cli_runner()
    anchors = tmp_path / "anchors.log"
    load(campaign_dict())
    runner.invoke(args=["audit", "anchor", "--anchors", str(anchors)])
    head = db.session.scalar(select(AuditHead.seq))
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq == head))
    db.session.execute(update(AuditHead).values(seq=head - 1, hash=db.session.scalar(
        select(AuditEvent.hash).where(AuditEvent.seq == head - 1))))
    db.session.commit()
    broken = runner.invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert broken.exit_code == 1 and f"row {head} is no longer in the log" in broken.output
    missing = runner.invoke(args=["audit", "verify", "--anchors", str(tmp_path / "nowhere.log")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
