"""The criteria library is pure Python: these tests need no app and no database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _app_context() -> Iterator[None]:
    """Override the suite-wide fixture that opens an app context on a database."""
    yield
