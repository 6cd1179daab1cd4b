"""Turn a merged page into what a Relay connection needs: items with cursors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from federation import cursor
from federation.fanout import NetworkOutcome
from federation.merge import Merged

T = TypeVar("T")


@dataclass(frozen=True)
class PageResult(Generic[T]):
    items: tuple[tuple[T, str], ...]  # each item with its edge cursor
    end_cursor: str | None
    has_next: bool
    started_after: bool
    outcomes: tuple[NetworkOutcome[Any], ...]
    window: tuple[T, ...]


def page_result(merged: Merged[T], fingerprint: str, after: str | None) -> PageResult[T]:
    items = tuple((t.item, cursor.encode(t.state, fingerprint)) for t in merged.taken)
    return PageResult(
        items=items,
        end_cursor=cursor.encode(merged.state, fingerprint),
        has_next=merged.has_next,
        started_after=after is not None,
        outcomes=merged.outcomes,
        window=merged.window,
    )
