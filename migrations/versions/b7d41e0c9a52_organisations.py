"""organisations (issue 17)

An organisation table (name, short code, e-mail domains, its own retention default) and
organisation_role (the roles a person holds in an organisation). A vacancy's free-text
organisation becomes organisation_id: one organisation per distinct name, with a code made of
its initials. Every existing HR administrator becomes HR administrator of every organisation
(they saw every vacancy before); a recruiting manager becomes recruiting manager of the
organisations whose vacancies they manage (of every one if they manage none). user gains
system_admin; audit_event gains organisation_id (an index of the organisation an event's hashed data
names: the chain verifies before and after, and after a downgrade).

Revision ID: b7d41e0c9a52
Revises: b67eef25f4b4
Create Date: 2026-12-03 16:10:00

"""
import re
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = 'b7d41e0c9a52'
down_revision = 'b67eef25f4b4'
branch_labels = None
depends_on = None


def _code(name, taken):
    """The organisation's initials, numbered when taken (a frozen copy of the rule in
    shortlist/rules/organisations.py as it was when this migration was written)."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", re.sub(r"['’]", "", name)) if w.lower() not in {"of", "the", "and", "for"}]
    base = "".join(w[0] for w in words).upper()[:16]
    if len(base) < 2:
        base = (re.sub(r"[^A-Z0-9]", "", name.upper()) + "ORG")[:3]
    if not base[0].isalpha():
        base = "O" + base[:15]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    return code


def upgrade():
    op.create_table(
        'organisation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('email_domains', sa.JSON(), nullable=False),
        sa.Column('retention_months', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('retention_months IS NULL OR retention_months BETWEEN 1 AND 72',
                           name=op.f('ck_organisation_retention_months')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
        sa.UniqueConstraint('code', name=op.f('uq_organisation_code')),
        sa.UniqueConstraint('name', name=op.f('uq_organisation_name')),
    )
    op.create_table(
        'organisation_role',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('hr_admin', 'hr_adviser', 'recruiting_manager')",
                           name=op.f('ck_organisation_role_role')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_organisation_role_organisation_id_organisation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_organisation_role_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_role')),
        sa.UniqueConstraint('user_id', 'organisation_id', 'role',
                            name=op.f('uq_organisation_role_user_id_organisation_id_role')),
    )
    op.create_index(op.f('ix_organisation_role_organisation_id'), 'organisation_role', ['organisation_id'])
    op.create_index(op.f('ix_organisation_role_user_id'), 'organisation_role', ['user_id'])

    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('system_admin', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_organisation_id'), ['organisation_id'], unique=False)
    with op.batch_alter_table('vacancy') as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))

    # the data: one organisation per distinct name, each vacancy pointed at its own
    conn = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    organisation = sa.table('organisation', sa.column('id', sa.Integer), sa.column('code', sa.String),
                            sa.column('name', sa.String), sa.column('email_domains', sa.JSON),
                            sa.column('created_at', sa.DateTime))
    role = sa.table('organisation_role', sa.column('user_id', sa.Integer), sa.column('organisation_id', sa.Integer),
                    sa.column('role', sa.String), sa.column('created_at', sa.DateTime))
    names = [row[0] for row in conn.execute(sa.text(
        "SELECT DISTINCT organisation FROM vacancy ORDER BY organisation"))]
    taken = set()
    ids = {}
    for name in names:
        code = _code(name, taken)
        taken.add(code)
        conn.execute(organisation.insert().values(code=code, name=name[:200], email_domains=[], created_at=now))
        ids[name] = conn.execute(sa.text("SELECT id FROM organisation WHERE code = :c"), {"c": code}).scalar_one()
        conn.execute(sa.text("UPDATE vacancy SET organisation_id = :o WHERE organisation = :n"),
                     {"o": ids[name], "n": name})
    grants = []
    for (user_id,) in conn.execute(sa.text("SELECT id FROM \"user\" WHERE role = 'hr_admin'")):
        grants += [{"user_id": user_id, "organisation_id": o, "role": "hr_admin", "created_at": now}
                   for o in ids.values()]
    for (user_id,) in conn.execute(sa.text("SELECT id FROM \"user\" WHERE role = 'recruiting_manager'")):
        managed = [row[0] for row in conn.execute(sa.text(
            "SELECT DISTINCT organisation_id FROM vacancy WHERE recruiting_manager_id = :u"), {"u": user_id})]
        grants += [{"user_id": user_id, "organisation_id": o, "role": "recruiting_manager", "created_at": now}
                   for o in (managed or ids.values())]
    if grants:
        op.bulk_insert(role, grants)

    with op.batch_alter_table('vacancy') as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_vacancy_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_vacancy_organisation_id_organisation'), 'organisation',
                                    ['organisation_id'], ['id'])
        batch_op.drop_column('organisation')


def downgrade():
    with op.batch_alter_table('vacancy') as batch_op:
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=True))
    op.execute("UPDATE vacancy SET organisation = (SELECT name FROM organisation "
               "WHERE organisation.id = vacancy.organisation_id)")
    with op.batch_alter_table('vacancy') as batch_op:
        batch_op.alter_column('organisation', existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_vacancy_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_vacancy_organisation_id'))
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_organisation_id'))
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('system_admin')
    op.drop_index(op.f('ix_organisation_role_user_id'), table_name='organisation_role')
    op.drop_index(op.f('ix_organisation_role_organisation_id'), table_name='organisation_role')
    op.drop_table('organisation_role')
    op.drop_table('organisation')
