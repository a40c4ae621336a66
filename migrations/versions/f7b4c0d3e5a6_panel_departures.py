"""panel departures: who left a vacancy's panel, when, by whom and why

Revision ID: f7b4c0d3e5a6
Revises: e6a3b9c2d4f5
Create Date: 2026-12-03 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7b4c0d3e5a6'
down_revision = 'e6a3b9c2d4f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('panel_departure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['removed_by_id'], ['user.id'], name=op.f('fk_panel_departure_removed_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_panel_departure_user_id_user')),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_panel_departure_vacancy_id_vacancy'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_departure'))
    )
    with op.batch_alter_table('panel_departure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_departure_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_panel_departure_vacancy_id'), ['vacancy_id'], unique=False)


def downgrade():
    with op.batch_alter_table('panel_departure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_departure_vacancy_id'))
        batch_op.drop_index(batch_op.f('ix_panel_departure_user_id'))
    op.drop_table('panel_departure')
