"""Reading the app's pages in tests: one parser for every test (no helper per file)."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup


def page(response: Any) -> BeautifulSoup:
    """The response's HTML, parsed."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
