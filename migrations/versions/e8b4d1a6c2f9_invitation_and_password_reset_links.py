"""access links e-mailed: invitations (72 hours) and password resets (1 hour)

The purpose CHECK constraint on access_link widens from ('set_password') to
('set_password', 'invitation', 'password_reset'); existing links keep their purpose.

Revision ID: e8b4d1a6c2f9
Revises: a19c5f7e2b01
Create Date: 2026-12-03 16:00:00

"""
from alembic import op


revision = 'e8b4d1a6c2f9'
down_revision = 'a19c5f7e2b01'
branch_labels = None
depends_on = None

WIDE = "purpose IN ('set_password', 'invitation', 'password_reset')"
NARROW = "purpose IN ('set_password')"


def _purpose(check: str) -> None:
    with op.batch_alter_table('access_link', schema=None, recreate='always') as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_access_link_purpose'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_access_link_purpose'), check)


def upgrade():
    _purpose(WIDE)


def downgrade():
    # links made for the new purposes cannot be kept under the narrow constraint
    op.execute("DELETE FROM access_link WHERE purpose <> 'set_password'")
    _purpose(NARROW)
