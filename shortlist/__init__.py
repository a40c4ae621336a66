"""shortlist: fair, lawful and auditable recruitment shortlisting."""

from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None):  # noqa: ANN201 - Flask imported lazily
    """Application factory (imports Flask lazily so `shortlist.rules` stays light)."""
    from shortlist.app import build_app

    return build_app(config)
