"""sift pools (issue 19)

A vacancy can share its applications among a pool of sifters: sift_pool (one a vacancy,
with the allocation's seed), sift_pool_member (a panel scorer and their capacity) and
sift_assignment (an application given to a sifter, to sift or as a third reader).

Revision ID: a19c5f7e2b01
Revises: 04ef3ce93594
Create Date: 2026-12-03 12:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a19c5f7e2b01'
down_revision = '04ef3ce93594'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sift_pool',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('seed', sa.BigInteger(), nullable=True),
        sa.Column('allocated_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_sift_pool_vacancy_id_vacancy'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sift_pool')),
        sa.UniqueConstraint('vacancy_id', name=op.f('uq_sift_pool_vacancy_id')),
    )
    op.create_table(
        'sift_pool_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pool_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=True),
        sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_sift_pool_member_capacity')),
        sa.ForeignKeyConstraint(['pool_id'], ['sift_pool.id'], name=op.f('fk_sift_pool_member_pool_id_sift_pool'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sift_pool_member_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sift_pool_member')),
        sa.UniqueConstraint('pool_id', 'user_id', name=op.f('uq_sift_pool_member_pool_id_user_id')),
    )
    op.create_index(op.f('ix_sift_pool_member_pool_id'), 'sift_pool_member', ['pool_id'], unique=False)
    op.create_index(op.f('ix_sift_pool_member_user_id'), 'sift_pool_member', ['user_id'], unique=False)
    op.create_table(
        'sift_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('assigned_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("purpose IN ('sift', 'moderation')", name=op.f('ck_sift_assignment_purpose')),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name=op.f('fk_sift_assignment_application_id_application'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sift_assignment_user_id_user')),
        sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_sift_assignment_vacancy_id_vacancy'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sift_assignment')),
        sa.UniqueConstraint('application_id', 'user_id', name=op.f('uq_sift_assignment_application_id_user_id')),
    )
    op.create_index(op.f('ix_sift_assignment_application_id'), 'sift_assignment', ['application_id'], unique=False)
    op.create_index(op.f('ix_sift_assignment_user_id'), 'sift_assignment', ['user_id'], unique=False)
    op.create_index('ix_sift_assignment_vacancy_user', 'sift_assignment', ['vacancy_id', 'user_id', 'application_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_sift_assignment_vacancy_user', table_name='sift_assignment')
    op.drop_index(op.f('ix_sift_assignment_user_id'), table_name='sift_assignment')
    op.drop_index(op.f('ix_sift_assignment_application_id'), table_name='sift_assignment')
    op.drop_table('sift_assignment')
    op.drop_index(op.f('ix_sift_pool_member_user_id'), table_name='sift_pool_member')
    op.drop_index(op.f('ix_sift_pool_member_pool_id'), table_name='sift_pool_member')
    op.drop_table('sift_pool_member')
    op.drop_table('sift_pool')
