"""Keyset cursors over one ordered index result: the tier and key of the last item.

Opaque to clients like the live path's cursors (urlsafe base64 of a small JSON object),
and bound to the query by a fingerprint, so a cursor cannot continue another search.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from federation.errors import InputError

T = TypeVar("T")
_VERSION = "i1"
_BAD = "`after` is not a cursor this API issued"


@dataclass(frozen=True, slots=True)
class Position:
    """Right after the item with sort value ``key`` in tier number ``tier``."""

    tier: int
    key: str | int


@dataclass(frozen=True, slots=True)
class IndexPage(Generic[T]):
    """One page of an index search: each item with its cursor, and whether more follow."""

    items: tuple[tuple[T, str], ...]
    end_cursor: str | None
    has_next: bool


def encode(position: Position, fingerprint: str) -> str:
    payload = {"v": _VERSION, "q": fingerprint, "t": position.tier, "k": position.key}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, fingerprint: str) -> Position:
    """The position ``cursor`` holds; InputError when malformed or for another query."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise InputError(_BAD) from None
    if not isinstance(payload, dict) or payload.get("v") != _VERSION:
        raise InputError(_BAD)
    if payload.get("q") != fingerprint:
        raise InputError("`after` belongs to a different query: keep the same arguments")
    tier, key = payload.get("t"), payload.get("k")
    if not isinstance(tier, int) or isinstance(tier, bool) or tier < 0:
        raise InputError(_BAD)
    if not isinstance(key, str | int) or isinstance(key, bool):
        raise InputError(_BAD)
    return Position(tier, key)
