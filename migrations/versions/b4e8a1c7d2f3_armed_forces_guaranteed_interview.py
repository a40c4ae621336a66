"""the Armed Forces Covenant guaranteed interview: the vacancy's scheme switch and the applicant's service

Plain ADD COLUMNs: a SQLite batch would copy and drop tables every other refers to.

Revision ID: b4e8a1c7d2f3
Revises: 6f35df8539b9
Create Date: 2026-12-03 12:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b4e8a1c7d2f3'
down_revision = '6f35df8539b9'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('vacancy', sa.Column('armed_forces_scheme', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.add_column('applicant_details', sa.Column('forces_left_on', sa.Date(), nullable=True))
    op.add_column('applicant_details', sa.Column('forces_discharge_due', sa.Date(), nullable=True))
    op.add_column('applicant_details', sa.Column('forces_last_long_term_employer', sa.Boolean(), nullable=False,
                                                 server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('applicant_details', schema=None) as batch_op:
        batch_op.drop_column('forces_last_long_term_employer')
        batch_op.drop_column('forces_discharge_due')
        batch_op.drop_column('forces_left_on')
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.drop_column('armed_forces_scheme')
