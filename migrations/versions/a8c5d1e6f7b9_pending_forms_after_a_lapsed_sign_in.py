"""pending forms: what a member sent after their sign-in lapsed, until they sign in again

Revision ID: a8c5d1e6f7b9
Revises: ad1ff5018c66
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8c5d1e6f7b9'
down_revision = 'ad1ff5018c66'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_pending_form_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_form'))
    )
    with op.batch_alter_table('pending_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_form_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_form_user_id'))
    op.drop_table('pending_form')
