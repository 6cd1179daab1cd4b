"""Async streams for subscriptions: merging sources, and the hub's own order events."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TypeVar

from connectors.records import TransactionRecord
from federation.orders.store import OrderStore

T = TypeVar("T")
_DONE = object()


async def merge(*sources: AsyncIterator[T]) -> AsyncIterator[T]:
    """Items from every source as they come; ends when all have ended.

    A source that fails ends the merge with its error; the others are closed.
    """
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=100)

    async def pump(source: AsyncIterator[T]) -> None:
        try:
            async for item in source:
                await queue.put(item)
        except Exception as error:  # handed to the consumer, who raises it
            await queue.put(error)
        finally:
            await queue.put(_DONE)

    tasks = [asyncio.create_task(pump(source)) for source in sources]
    running = len(tasks)
    try:
        while running:
            item = await queue.get()
            if item is _DONE:
                running -= 1
            elif isinstance(item, Exception):
                raise item
            else:
                yield item  # type: ignore[misc]
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def order_transactions(
    store: OrderStore, buyer_id: str, poll: float
) -> AsyncIterator[TransactionRecord]:
    """The hub's own order events for one buyer, from now on, as transactions."""
    last = await store.last_event_id()
    while True:
        for order_id, total, event in await store.buyer_events_after(buyer_id, last):
            last = event.id
            yield TransactionRecord(
                network="hub",
                id=f"order-event-{event.id}",
                cooperative_id=buyer_id,
                kind=f"order_{event.kind.lower()}",
                amount=total,
                description=f"order {order_id}: {event.message}",
                occurred_at=datetime.fromtimestamp(event.created_at, UTC).isoformat(),
            )
        await asyncio.sleep(poll)
