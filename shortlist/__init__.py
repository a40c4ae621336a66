"""shortlist: fair, lawful and auditable recruitment shortlisting."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("shortlist")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"


def create_app(config: dict[str, Any] | None = None):  # noqa: ANN201 - Flask imported lazily
    """Application factory (imports Flask lazily so `shortlist.rules` stays light)."""
    from shortlist.app import build_app

    return build_app(config)
