"""In-process fan-out of new transactions to live stream subscribers.

Each subscriber has a bounded queue. A subscriber that falls behind is not allowed to
grow memory: its queue stops taking events and it is flagged, and the stream then
catches up from the database, which holds every transaction anyway.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

from networks.tangerang.schemas import Transaction


@dataclass(frozen=True)
class Event:
    """A committed transaction and the API client it belongs to (None: everyone's)."""

    transaction: Transaction
    client_id: str | None = None


class Subscription:
    """One live listener of one client, optionally limited to one cooperative."""

    def __init__(self, client_id: str, cooperative_id: str | None, queue_size: int) -> None:
        self.client_id = client_id
        self.cooperative_id = cooperative_id
        self.queue: asyncio.Queue[Transaction] = asyncio.Queue(maxsize=queue_size)
        self.overflowed = False

    def offer(self, event: Event) -> None:
        if event.client_id is not None and event.client_id != self.client_id:
            return
        transaction = event.transaction
        if self.cooperative_id is not None and transaction.cooperative_id != self.cooperative_id:
            return
        try:
            self.queue.put_nowait(transaction)
        except asyncio.QueueFull:
            self.overflowed = True


class Broadcaster:
    """Publishes committed transactions, in commit order, to every subscriber."""

    def __init__(self, queue_size: int) -> None:
        self._queue_size = queue_size
        self._subscribers: set[Subscription] = set()
        self._lock = asyncio.Lock()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    @asynccontextmanager
    async def publishing(self) -> AsyncIterator[list[Event]]:
        """Collect transactions written inside the block; publish them once it succeeds.

        The lock spans write and publication, so subscribers see sequence numbers in
        the order they were committed.
        """
        async with self._lock:
            pending: list[Event] = []
            yield pending
            for event in pending:
                for subscriber in list(self._subscribers):
                    subscriber.offer(event)

    @contextmanager
    def subscribe(self, client_id: str, cooperative_id: str | None) -> Iterator[Subscription]:
        """A subscription that lasts as long as the block."""
        subscription = Subscription(client_id, cooperative_id, self._queue_size)
        self._subscribers.add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)
