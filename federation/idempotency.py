"""Idempotency keys: a retried request finds what its first copy made.

A hub record made under a caller's key stores the key and a fingerprint of the request
(``request_hash``); a unique constraint over whose key it is and the key (orders: the
buyer; group buys: the coordinator; RFQs: the buying BUMN) settles two copies racing.
Keys are per organisation: two tenants' equal keys never meet, so neither can block the
other's retries. The same key with another request is a conflict, never a second record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from federation.errors import ConflictError, InputError

MAX_KEY = 200


@dataclass(frozen=True)
class RequestKey:
    """A caller's idempotency key with the fingerprint of the request it came with."""

    key: str
    request_hash: str


def fingerprint(body: object) -> str:
    """A request's fingerprint: the SHA-256 of ``body`` (JSON-able) in canonical JSON."""
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def keyed(key: str | None, request_hash: Callable[[], str]) -> RequestKey | None:
    """``key`` with its request's fingerprint; None when no key was sent."""
    return None if key is None else RequestKey(key, request_hash())


def key_columns(key: RequestKey | None) -> dict[str, str | None]:
    """The ``idempotency_key`` and ``request_hash`` values of a new row."""
    return {
        "idempotency_key": None if key is None else key.key,
        "request_hash": None if key is None else key.request_hash,
    }


def check_key(key: str, what: str) -> None:
    """InputError unless ``key`` is 1-``MAX_KEY`` characters, not all blank."""
    if not key.strip() or len(key) > MAX_KEY:
        raise InputError(f"`idempotencyKey` must be 1-{MAX_KEY} characters: one per {what}")


async def made_under(
    engine: AsyncEngine,
    table: Table,
    key: RequestKey,
    whose: Sequence[ColumnElement[bool]],
    what: str,
) -> str | None:
    """The id of the ``table`` row made under ``key`` (among the rows ``whose`` selects:
    keys are per caller); ConflictError when a different request made it."""
    c = table.c
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(c.id, c.request_hash).where(c.idempotency_key == key.key, *whose)
            )
        ).first()
    if row is None:
        return None
    if row.request_hash != key.request_hash:
        raise ConflictError(
            f"this idempotencyKey was already used for a different {what}: "
            f"use a new key for a new {what}"
        )
    return str(row.id)
