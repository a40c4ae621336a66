"""a declared conflict is withdrawn only after HR or the chair reviews a request

Revision ID: d7a3c9e1f205
Revises: f7b4c0d3e5a6
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a3c9e1f205'
down_revision = 'f7b4c0d3e5a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('withdrawal_requested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_review', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_conflict_declaration_withdrawn_by_id_user'), 'user',
                                    ['withdrawn_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conflict_declaration_withdrawn_by_id_user'), type_='foreignkey')
        batch_op.drop_column('withdrawal_review')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('withdrawal_requested_at')
        batch_op.drop_column('withdrawal_reason')
