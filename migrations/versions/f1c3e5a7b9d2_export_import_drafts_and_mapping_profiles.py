"""applications from exports: uploads waiting for their mapping, and saved mapping profiles (issue 18)

Revision ID: f1c3e5a7b9d2
Revises: d8b2f4a6c1e3
Create Date: 2026-12-03 17:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f1c3e5a7b9d2'
down_revision = 'd8b2f4a6c1e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'import_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_import_draft_user_id_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_import_draft_vacancy_id_vacancy'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_draft')),
    )
    op.create_index(op.f('ix_import_draft_user_id'), 'import_draft', ['user_id'], unique=False)
    op.create_index(op.f('ix_import_draft_vacancy_id'), 'import_draft', ['vacancy_id'], unique=False)
    op.create_table(
        'import_profile',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_import_profile_created_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_profile')),
        sa.UniqueConstraint('organisation', 'name', name=op.f('uq_import_profile_organisation_name')),
    )
    op.create_index(op.f('ix_import_profile_organisation'), 'import_profile', ['organisation'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_import_profile_organisation'), table_name='import_profile')
    op.drop_table('import_profile')
    op.drop_index(op.f('ix_import_draft_vacancy_id'), table_name='import_draft')
    op.drop_index(op.f('ix_import_draft_user_id'), table_name='import_draft')
    op.drop_table('import_draft')
