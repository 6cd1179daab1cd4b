"""The closer: closes group buys at their closing time and follows their orders to the end.

Every process runs one. Claims are leases in the hub database, so a group buy is worked
on by one closer at a time, and one whose closer died (a killed hub) is due again when
the lease runs out: for this process after a restart, or for a replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

from connectors.errors import ConnectorError
from federation.errors import ConflictError
from federation.groupbuy.closing import GroupBuyClosing, TakenOver
from federation.groupbuy.leases import Leases
from federation.groupbuy.model import GroupBuyState
from federation.groupbuy.store import GroupBuyStore

log = logging.getLogger(__name__)


class GroupBuyWorker:
    def __init__(
        self,
        store: GroupBuyStore,
        closing: GroupBuyClosing,
        *,
        lease: float = 30.0,
        poll: float = 0.5,
        retry_after: float = 2.0,
        follow_every: float = 1.0,
    ) -> None:
        self.store = store
        self.leases = Leases(store.engine, store.clock)
        self.closing = closing
        self.lease = lease
        self.poll = poll
        self.retry_after = retry_after
        self.follow_every = follow_every
        self.name = f"closer-{uuid.uuid4().hex[:12]}"

    async def drain(self) -> int:
        """Act on every group buy due now (closing time passed, or an order to follow);
        how many were due."""
        claimed = await self.leases.claim(self.name, self.lease)
        for group_buy_id in claimed:
            await self.run(group_buy_id, self.name)
        return len(claimed)

    async def run(self, group_buy_id: str, owner: str) -> None:
        """Take a group buy ``owner`` holds as far as it goes now, then give it back.

        Never raises: a network that cannot be reached is noted on the group buy and tried
        again after ``retry_after``; an order in flight is looked at again after
        ``follow_every``.
        """

        async def keepalive() -> None:
            if not await self.leases.renew(group_buy_id, owner, self.lease):
                raise TakenOver(group_buy_id)

        delay = self.follow_every
        try:
            group_buy = await self.store.load(group_buy_id)
            if group_buy is None:
                return
            if group_buy.status is GroupBuyState.OPEN and not await self._begin(
                group_buy_id, owner
            ):
                return
            await self.closing.settle(group_buy_id, keepalive)
        except TakenOver:
            log.warning("group buy %s was taken over by another closer", group_buy_id)
            return
        except ConnectorError as error:
            log.warning("group buy %s must wait: %s", group_buy_id, error)
            await self.store.note(group_buy_id, f"waiting for a network: {error}")
            self.closing.bus.publish(group_buy_id)
            delay = self.retry_after
        except Exception:
            log.exception("closing group buy %s failed unexpectedly; retrying later", group_buy_id)
            delay = self.retry_after
        # A finished group buy holds no lease any more; this only frees one still CLOSING.
        await self.leases.release(group_buy_id, owner, delay)

    async def _begin(self, group_buy_id: str, owner: str) -> bool:
        """Close a due OPEN group buy; False when there is nothing more to do with it."""
        try:
            await self.store.begin_closing(group_buy_id, owner, self.lease)
        except ConflictError as refusal:
            group_buy = await self.store.load(group_buy_id)
            if group_buy is not None and group_buy.status is GroupBuyState.OPEN:
                await self.closing.fail_unfilled(
                    group_buy, f"closed at its closing time without an order: {refusal.message}"
                )
            return False  # or another closer (the coordinator) got there first
        self.closing.bus.publish(group_buy_id)
        return True

    async def run_until(self, stop: asyncio.Event) -> None:
        """Drain every ``poll`` seconds until ``stop`` is set; a pass in progress finishes."""
        while not stop.is_set():
            try:
                await self.drain()
            except Exception:
                log.exception("group buy closer pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll)


@contextlib.asynccontextmanager
async def running(worker: GroupBuyWorker) -> AsyncIterator[GroupBuyWorker]:
    """The closer's loop, for as long as the block runs (stopped by a flag, not cancelled)."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_until(stop))
    try:
        yield worker
    finally:
        stop.set()
        await task
