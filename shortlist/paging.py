"""Paged lists (issue 19): a bounded number of rows a page, filters and sorting in the URL
(shareable; Back works), and the GOV.UK pagination component's parameters.

A page's cost follows the rows it shows: the callers read one page of rows with LIMIT and
OFFSET (or, for the audit log, a keyset on the sequence) and count with one aggregate."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shortlist.numbers import parse_int

PAGE_SIZE = 50
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first_row(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last_row(self) -> int:
        return min(self.total, self.offset + self.size)


def page_number(args: Mapping[str, str]) -> int:
    """The ``page`` argument: a whole number from 1 (a 400 for text, as every number in a request)."""
    return parse_int(args.get("page") or "1", "page", minimum=1, maximum=MAX_PAGE)


def clamp(number: int, total: int, size: int = PAGE_SIZE) -> Page:
    """The page asked for, or the last one when it asks beyond the end (a filter narrowed the list)."""
    last = max(1, -(-total // size))
    return Page(min(number, last), size, total)


def pagination(page: Page, url: Callable[..., str], args: Mapping[str, Any]) -> dict[str, Any] | None:
    """govukPagination's parameters: previous, next and numbered items with ellipses (1 … 4 5 6 … 40),
    each link keeping the page's other arguments. None for a single page."""
    if page.pages <= 1:
        return None
    keep = {k: v for k, v in args.items() if k != "page" and v not in (None, "")}

    def href(n: int) -> str:
        return url(**keep, page=n)

    shown = sorted({1, page.pages, page.number - 1, page.number, page.number + 1} & set(range(1, page.pages + 1)))
    items: list[dict[str, Any]] = []
    previous = 0
    for n in shown:
        if n - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": str(n), "href": href(n), "current": n == page.number})
        previous = n
    return {
        "previous": {"href": href(page.number - 1)} if page.number > 1 else None,
        "next": {"href": href(page.number + 1)} if page.number < page.pages else None,
        "items": items,
        "landmarkLabel": "Pages",
    }
