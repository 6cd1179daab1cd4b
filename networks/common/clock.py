"""Time for the reference networks: the seeding date their history runs up to, and a
coroutine run every few seconds for as long as a network is up (the order clock)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)

# Pins the seeding date (YYYY-MM-DD) to rebuild a database exactly as it was seeded then.
SEED_DATE_ENV = "NETWORKS_SEED_DATE"


def seed_date() -> dt.date:
    """The date seeded history ends on: ``NETWORKS_SEED_DATE`` if set, else today (UTC)."""
    pinned = os.environ.get(SEED_DATE_ENV)
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.datetime.now(dt.UTC).date()


def month_key(day: dt.date) -> str:
    """``day``'s month as the networks write it: ``2025-01``."""
    return f"{day.year:04d}-{day.month:02d}"


def month_start(day: dt.date, months_ago: int = 0) -> dt.date:
    """The first day of the month ``months_ago`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months_ago
    return dt.date(index // 12, index % 12 + 1, 1)


def months_up_to(day: dt.date, count: int) -> tuple[str, ...]:
    """The ``count`` months ending with ``day``'s own, oldest first."""
    return tuple(month_key(month_start(day, ago)) for ago in range(count - 1, -1, -1))


@asynccontextmanager
async def periodic(
    interval: float | None, tick: Callable[[], Awaitable[object]]
) -> AsyncIterator[None]:
    """Call ``tick`` every ``interval`` seconds inside the block; None means never."""
    if not interval:
        yield
        return

    async def loop() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await tick()
            except Exception:  # a failed tick must not stop the clock
                log.exception("periodic task failed")

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
