"""the sift pool's progress read from an index (issue 19): score_sheet (application_id,
user_id, stage, submitted_at), so counting each sifter's sheets on their allocation needs
no row of the table

Revision ID: b7e2c4d9a1f3
Revises: f3c7a9e2d5b1
Create Date: 2026-12-03 19:50:00

"""
from alembic import op


revision = 'b7e2c4d9a1f3'
down_revision = 'f3c7a9e2d5b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_score_sheet_progress', 'score_sheet', ['application_id', 'user_id', 'stage', 'submitted_at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_score_sheet_progress', table_name='score_sheet')
