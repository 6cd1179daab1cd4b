"""In-process notice that an order changed, so waiters need not poll.

The database stays the truth: a notice only says "look again". Replicas that miss a
notice still see the change on their next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict


class OrderBus:
    def __init__(self) -> None:
        self._waiters: defaultdict[str, set[asyncio.Event]] = defaultdict(set)

    def publish(self, order_id: str) -> None:
        for event in self._waiters.get(order_id, ()):
            event.set()

    async def wait(self, order_id: str, seconds: float) -> bool:
        """Until ``order_id`` changes or ``seconds`` pass; True when it changed."""
        event = asyncio.Event()
        self._waiters[order_id].add(event)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), seconds)
            return event.is_set()
        finally:
            self._waiters[order_id].discard(event)
            if not self._waiters[order_id]:
                del self._waiters[order_id]
