"""integrations and sign-in belong to organisations (issues 17 and 18)

api_token, webhook_endpoint and import_profile held their organisation as free text (the name
HR picked); each now refers to an organisation row (organisation_id). Existing rows are
matched by name (any case, spaces squeezed); a name no organisation has becomes a new one,
with a code made of its initials, as a campaign file naming it would. organisation gains
password_sign_in (true: its people may sign in with a password; false: those whose address is
in its domains are sent to its single sign-on).

Revision ID: c5e2a9d4f7b1
Revises: b7d41e0c9a52
Create Date: 2026-12-03 19:50:00

"""
import re
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = 'c5e2a9d4f7b1'
down_revision = 'b7d41e0c9a52'
branch_labels = None
depends_on = None

TABLES = ('api_token', 'webhook_endpoint', 'import_profile')


def _code(name, taken):
    """The organisation's initials, numbered when taken (the frozen rule of b7d41e0c9a52)."""
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


def _squeeze(text):
    return " ".join((text or "").split())


def upgrade():
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.add_column(sa.Column('password_sign_in', sa.Boolean(), nullable=False, server_default=sa.true()))
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    known = {_squeeze(name).lower(): id_ for id_, name in conn.execute(sa.text("SELECT id, name FROM organisation"))}
    taken = {row[0] for row in conn.execute(sa.text("SELECT code FROM organisation"))}
    organisation = sa.table('organisation', sa.column('code', sa.String), sa.column('name', sa.String),
                            sa.column('email_domains', sa.JSON), sa.column('created_at', sa.DateTime))
    for table in TABLES:
        for (name,) in conn.execute(sa.text(f"SELECT DISTINCT organisation FROM {table}")).all():
            key = _squeeze(name).lower()
            if key not in known:
                code = _code(_squeeze(name), taken)
                taken.add(code)
                conn.execute(organisation.insert().values(code=code, name=_squeeze(name)[:200], email_domains=[],
                                                          created_at=now))
                known[key] = conn.execute(sa.text("SELECT id FROM organisation WHERE code = :c"),
                                          {"c": code}).scalar_one()
            conn.execute(sa.text(f"UPDATE {table} SET organisation_id = :o WHERE organisation = :n"),
                         {"o": known[key], "n": name})

    with op.batch_alter_table('api_token') as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_organisation'))
        batch_op.drop_column('organisation')
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_api_token_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_api_token_organisation_id_organisation'), 'organisation',
                                    ['organisation_id'], ['id'])
    with op.batch_alter_table('webhook_endpoint') as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_endpoint_organisation'))
        batch_op.drop_column('organisation')
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_webhook_endpoint_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_webhook_endpoint_organisation_id_organisation'), 'organisation',
                                    ['organisation_id'], ['id'])
    with op.batch_alter_table('import_profile') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_import_profile_organisation_name'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_import_profile_organisation'))
        batch_op.drop_column('organisation')
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_import_profile_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_import_profile_organisation_id_organisation'), 'organisation',
                                    ['organisation_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_import_profile_organisation_id_name'),
                                          ['organisation_id', 'name'])


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=True))
        op.execute(f"UPDATE {table} SET organisation = (SELECT name FROM organisation "
                   f"WHERE organisation.id = {table}.organisation_id)")
    with op.batch_alter_table('import_profile') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_import_profile_organisation_id_name'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_import_profile_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_import_profile_organisation_id'))
        batch_op.drop_column('organisation_id')
        batch_op.alter_column('organisation', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index(batch_op.f('ix_import_profile_organisation'), ['organisation'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_import_profile_organisation_name'), ['organisation', 'name'])
    with op.batch_alter_table('webhook_endpoint') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_webhook_endpoint_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_webhook_endpoint_organisation_id'))
        batch_op.drop_column('organisation_id')
        batch_op.alter_column('organisation', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index(batch_op.f('ix_webhook_endpoint_organisation'), ['organisation'], unique=False)
    with op.batch_alter_table('api_token') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_token_organisation_id'))
        batch_op.drop_column('organisation_id')
        batch_op.alter_column('organisation', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index(batch_op.f('ix_api_token_organisation'), ['organisation'], unique=False)
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.drop_column('password_sign_in')
