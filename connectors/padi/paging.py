"""Positions over PaDi's page/size paging: an absolute offset after each item.

A window ``[offset, offset + limit)`` is read with the one page size whose single page
covers it when there is one, else as two pages of ``limit`` items (aliased in one request).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from connectors.errors import NetworkRejected
from connectors.records import Page

T = TypeVar("T")


def offset_of(network: str, after: str | None) -> int:
    """The offset a search resumes at: 0 at the start, else the one ``after`` encodes."""
    if after is None:
        return 0
    if not after.isdigit() or not after.isascii():
        raise NetworkRejected(network, f"{after!r} is not a position from this network", 400)
    return int(after)


def pages_for(offset: int, limit: int, max_size: int) -> list[tuple[int, int]]:
    """``(page, size)`` pairs (1-based pages) whose items cover the window."""
    last = offset + limit - 1
    for size in range(limit, max_size + 1):
        if offset // size == last // size:
            return [(offset // size + 1, size)]
    first = offset // limit + 1
    return [(first, limit), (first + 1, limit)]


def window(
    offset: int, limit: int, first_page: int, size: int, items: Sequence[T], total: int
) -> Page[T]:
    """The window's items out of consecutive pages starting at ``first_page``."""
    start = offset - (first_page - 1) * size
    chosen = tuple(items[start : start + limit])
    return Page(
        items=chosen,
        positions=tuple(str(offset + i + 1) for i in range(len(chosen))),
        has_more=offset + len(chosen) < total,
    )
