"""The audit log is hash-chained: editing, deleting or reordering a row is caught."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from shortlist.extensions import db
from shortlist.models import AuditEvent
from shortlist.services import audit


def _write(n: int) -> None:
    for i in range(n):
        audit.record(audit.CLI, "user.created", subject=f"user {i}", email=f"u{i}@example.org", role="panel_member")
    db.session.commit()


def test_intact_chain_verifies(runner):
    _write(5)
    assert audit.verify() is None
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "intact: 5 rows" in result.output


def test_edited_row_is_named(runner):
    _write(5)
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(data={"email": "forged@example.org", "role": "hr_admin"}))
    db.session.commit()
    broken = audit.verify()
    assert broken is not None and broken.seq == 3
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "row 3" in result.output


def test_deleted_row_is_named():
    _write(5)
    db.session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    db.session.commit()
    broken = audit.verify()
    assert broken is not None and broken.seq == 2


def test_deleted_last_row_is_caught():
    _write(4)
    db.session.execute(delete(AuditEvent).where(AuditEvent.seq == 4))
    db.session.commit()
    broken = audit.verify()
    assert broken is not None and broken.seq == 4


def test_reordered_rows_are_caught():
    _write(4)
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    a, b = rows[1], rows[2]
    a_data, b_data = dict(a.data), dict(b.data)
    a.data, b.data = b_data, a_data
    db.session.commit()
    broken = audit.verify()
    assert broken is not None and broken.seq == 2


def test_undeclared_action_and_missing_keys_are_refused():
    import pytest

    with pytest.raises(audit.UnknownAuditAction):
        audit.record(audit.CLI, "something.vague")
    with pytest.raises(ValueError, match="email"):
        audit.record(audit.CLI, "user.created", role="hr_admin")
