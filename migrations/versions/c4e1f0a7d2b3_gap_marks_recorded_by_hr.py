"""gap marks recorded by HR for a member

Revision ID: c4e1f0a7d2b3
Revises: 3bbad7390e7b
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1f0a7d2b3'
down_revision = '3bbad7390e7b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('gap_mark', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recorded_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_gap_mark_recorded_by_id_user'), 'user', ['recorded_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('gap_mark', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_gap_mark_recorded_by_id_user'), type_='foreignkey')
        batch_op.drop_column('recorded_reason')
        batch_op.drop_column('recorded_by_id')
