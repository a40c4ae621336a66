"""The demo campaigns. Installed as ``shortlist.seeds`` (see pyproject.toml), so
``shortlist demo`` works from an installed package as from a checkout."""
