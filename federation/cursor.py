"""Cursors over a merged, multi-network result: each network's position, and the query.

A cursor is opaque to clients: urlsafe base64 of a small JSON object holding every
network's resume position (None: from the start) and which networks are exhausted, plus
a fingerprint of the query so a cursor cannot be replayed against a different one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field

from federation.errors import InputError

_VERSION = 1


@dataclass(frozen=True)
class MergeState:
    """Where each network's stream stands after the items handed out so far."""

    positions: dict[str, str | None] = field(default_factory=dict)
    exhausted: frozenset[str] = frozenset()

    def position(self, code: str) -> str | None:
        return self.positions.get(code)


def fingerprint(*parts: object) -> str:
    """A short digest of the query a cursor belongs to."""
    text = json.dumps([repr(p) for p in parts])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(state: MergeState, query_fingerprint: str) -> str:
    payload = {
        "v": _VERSION,
        "q": query_fingerprint,
        "p": state.positions,
        "x": sorted(state.exhausted),
    }
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, query_fingerprint: str) -> MergeState:
    """The state a cursor holds; InputError when it is malformed or for another query."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise InputError("`after` is not a cursor this API issued") from None
    if not isinstance(payload, dict) or payload.get("v") != _VERSION:
        raise InputError("`after` is not a cursor this API issued")
    if payload.get("q") != query_fingerprint:
        raise InputError("`after` belongs to a different query: keep the same arguments")
    positions = payload.get("p")
    exhausted = payload.get("x")
    if not isinstance(positions, dict) or not isinstance(exhausted, list):
        raise InputError("`after` is not a cursor this API issued")
    if not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in positions.items()
    ):
        raise InputError("`after` is not a cursor this API issued")
    if not all(isinstance(code, str) for code in exhausted):
        raise InputError("`after` is not a cursor this API issued")
    return MergeState(positions=dict(positions), exhausted=frozenset(exhausted))
