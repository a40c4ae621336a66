"""access links: single-use, expiring links to set a password

Revision ID: d5f2a8b1c3e4
Revises: c4e1f0a7d2b3
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5f2a8b1c3e4'
down_revision = 'c4e1f0a7d2b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("purpose IN ('set_password')", name=op.f('ck_access_link_purpose')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_access_link_created_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_access_link_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_access_link_token_hash'))
    )
    with op.batch_alter_table('access_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_link_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('access_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_link_user_id'))
    op.drop_table('access_link')
