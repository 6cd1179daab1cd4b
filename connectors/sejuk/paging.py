"""Positions over ``halaman`` paging: absolute offsets, read through a fitting page size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from connectors.errors import NetworkRejected
from connectors.records import Page

MAX_PAGE = 100

R = TypeVar("R")
Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class Window(Generic[Row]):
    """Native rows from ``offset`` on, and whether SEJUK has more after them."""

    rows: list[Row]
    offset: int
    has_more: bool


def plan(offset: int, limit: int) -> tuple[int, list[int]]:
    """A page size and the 1-based pages of that size covering ``[offset, offset + limit)``.

    The smallest size whose one page holds the whole window, else two pages of ``limit``.
    """
    for size in range(limit, MAX_PAGE + 1):
        if offset // size == (offset + limit - 1) // size:
            return size, [offset // size + 1]
    return limit, [offset // limit + 1, offset // limit + 2]


def decode(network: str, after: str | None) -> int:
    """The offset a position stands for; a position SEJUK's connector never made is refused."""
    if after is None:
        return 0
    if not after.isascii() or not after.isdigit() or str(int(after)) != after:
        raise NetworkRejected(network, f"{after!r} is not a position of this network", 400)
    return int(after)


def page(items: Sequence[R], window: Window[Any]) -> Page[R]:
    """``items`` (one per row of ``window``) with the offset right after each as its position."""
    return Page(
        items=tuple(items),
        positions=tuple(str(window.offset + i) for i in range(1, len(items) + 1)),
        has_more=window.has_more,
    )
