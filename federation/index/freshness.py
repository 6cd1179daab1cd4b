"""How fresh each network's part of the index is: when it last synced, and whether that
is too long ago (or its last attempt failed) to trust without saying so."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from federation.index import store


@dataclass(frozen=True, slots=True)
class Freshness:
    """One network's freshness.

    ``stale`` when it never finished a sync, its last attempt failed (``error`` says
    why; its last data is still served), or its last success is older than the limit.
    """

    network: str
    synced_at: float | None  # epoch seconds of the last successful sync
    age_seconds: float | None
    stale: bool
    error: str | None
    full_loaded: bool


async def freshness(
    engine: AsyncEngine,
    networks: Sequence[str],
    *,
    stale_after: float,
    now: float | None = None,
) -> tuple[Freshness, ...]:
    """Each of ``networks`` in the given order; ``stale_after`` in seconds."""
    moment = time.time() if now is None else now
    async with engine.connect() as conn:
        states = await store.read_states(conn)
    found = []
    for code in networks:
        state = states.get(code, store.SyncState(code))
        age = None if state.synced_at is None else max(0.0, moment - state.synced_at)
        stale = age is None or not state.full_loaded or state.error is not None or age > stale_after
        found.append(Freshness(code, state.synced_at, age, stale, state.error, state.full_loaded))
    return tuple(found)
