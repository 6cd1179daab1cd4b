"""Run a coroutine function every few seconds for as long as a network is up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)


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
