"""HR's adjustment reviews: outcome and reason for a disability claim on a criterion

Revision ID: e6a3b9c2d4f5
Revises: ff5dea4dbfd7
Create Date: 2026-12-03 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6a3b9c2d4f5'
down_revision = 'ff5dea4dbfd7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('adjustment_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('met_with_adjustment', 'not_met')", name=op.f('ck_adjustment_review_outcome')),
    sa.CheckConstraint("stage IN ('shortlisting', 'interview')", name=op.f('ck_adjustment_review_stage')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_adjustment_review_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_adjustment_review_criterion_id_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_adjustment_review_reviewed_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adjustment_review')),
    sa.UniqueConstraint('application_id', 'criterion_id', 'stage', name=op.f('uq_adjustment_review_application_id_criterion_id_stage'))
    )
    with op.batch_alter_table('adjustment_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adjustment_review_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adjustment_review_criterion_id'), ['criterion_id'], unique=False)


def downgrade():
    with op.batch_alter_table('adjustment_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adjustment_review_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_adjustment_review_application_id'))
    op.drop_table('adjustment_review')
