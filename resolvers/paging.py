"""Turn a merged page into what a Relay connection needs: items with cursors."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from federation import cursor
from federation.errors import InputError
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


def newest_first_cursor(created_at: float, item_id: str) -> str:
    """The cursor after an item of a newest-first list of the hub's own records."""
    return base64.urlsafe_b64encode(f"{created_at!r}|{item_id}".encode()).decode()


def decode_newest_first(cursor: str, what: str) -> tuple[float, str]:
    """The (created_at, id) a ``newest_first_cursor`` holds; InputError naming ``what``
    (e.g. "an order") when it is not one."""
    try:
        created, _, item_id = base64.urlsafe_b64decode(cursor).decode().partition("|")
        return float(created), item_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InputError(f"`after` is not a cursor of {what} this API issued") from None
