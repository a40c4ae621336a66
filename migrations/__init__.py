"""Alembic migrations. Installed as ``shortlist.migrations`` (see pyproject.toml), so an
installed app upgrades its own database; a source checkout reads them here."""
