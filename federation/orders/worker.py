"""Runs the outbox: sagas to start or resume, cancellations, and network status tracking.

Every process runs one. Tasks are leased, so a task whose worker died (a killed hub) is
picked up again when its lease runs out, by this process after a restart or by a replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

from connectors.errors import ConnectorError
from connectors.records import OrderStatus
from federation.hub import Federation
from federation.orders.bus import OrderBus
from federation.orders.model import Order, OrderState, SubOrderState
from federation.orders.outbox import Outbox
from federation.orders.saga import LeaseLost, OrderSaga
from federation.orders.store import OrderStore

log = logging.getLogger(__name__)

_PROGRESS = {
    OrderStatus.CREATED: OrderState.CONFIRMED,
    OrderStatus.CONFIRMED: OrderState.CONFIRMED,
    OrderStatus.SHIPPED: OrderState.SHIPPED,
    OrderStatus.DELIVERED: OrderState.DELIVERED,
}
_RANK = [OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.DELIVERED]


class OrderWorker:
    def __init__(
        self,
        store: OrderStore,
        saga: OrderSaga,
        federation: Federation,
        bus: OrderBus,
        *,
        lease: float = 10.0,
        poll: float = 0.5,
        track_every: float = 2.0,
        retry_after: float = 2.0,
        leftover_after: float = 2.0,
        late_window: float = 600.0,
    ) -> None:
        self.store = store
        self.outbox = Outbox(store.engine)
        self.saga = saga
        self.federation = federation
        self.bus = bus
        self.lease = lease
        self.poll = poll
        self.track_every = track_every
        self.retry_after = retry_after
        self.leftover_after = leftover_after
        self.late_window = late_window
        self.name = f"worker-{uuid.uuid4().hex[:12]}"

    async def drain(self, order_id: str | None = None, min_age: float = 0.0) -> int:
        """Run every due task (only ``order_id``'s when given); how many ran.

        ``min_age`` skips tasks younger than that: the request that wrote one runs it.
        """
        tasks = await self.outbox.claim(self.name, self.lease, order_id=order_id, min_age=min_age)
        for task_id, task_order, task in tasks:
            await self._run(task_id, task_order, task)
        return len(tasks)

    async def _run(self, task_id: int, order_id: str, task: str) -> None:
        async def keepalive() -> None:
            if not await self.outbox.renew(task_id, self.name, self.lease):
                raise LeaseLost(order_id)

        try:
            if task == "place":
                await self.saga.place(order_id, keepalive)
            elif task == "cancel":
                await self.saga.cancel(order_id, keepalive)
        except LeaseLost:
            log.warning("order %s was taken over by another worker", order_id)
            return
        except ConnectorError as error:
            log.warning("order %s %s must wait: %s", order_id, task, error)
            await self.outbox.release(task_id, self.retry_after)
            return
        except Exception:
            log.exception("order %s %s failed unexpectedly; retrying later", order_id, task)
            await self.outbox.release(task_id, self.retry_after)
            return
        await self.outbox.finish(task_id)

    async def track(self) -> None:
        """Follow each confirmed order's sub-orders at their networks, and look once more
        for late arrivals of sub-orders that ended without ever being seen there."""
        for order in await self.store.tracked():
            try:
                await self._track(order)
            except ConnectorError as error:
                log.info("cannot follow order %s now: %s", order.id, error)
        for order in await self.store.recently_ended(self.late_window):
            try:
                await self._sweep_late(order)
            except ConnectorError as error:
                log.info("cannot look for late sub-orders of %s now: %s", order.id, error)

    async def _sweep_late(self, order: Order) -> None:
        # A request the hub gave up on may still be processed by its network afterwards:
        # an order found there now, for an order that ended, is cancelled.
        for sub in order.sub_orders:
            if sub.state is not SubOrderState.CANCELLED or sub.native_id is not None:
                continue
            connector = self.federation.by_code.get(sub.network)
            found = await connector.find_order(sub.reference) if connector else None
            if connector is None or found is None:
                continue
            if found.status is not OrderStatus.CANCELLED:
                await connector.cancel_order(found.id)
            await self.store.set_sub_order(
                order.id,
                sub.network,
                native_id=found.id,
                network_status=OrderStatus.CANCELLED.value,
            )
            await self.store.record(
                order.id,
                "LATE_SUB_ORDER_CANCELLED",
                order.status,
                f"{sub.network} took order {found.id} after the hub gave up; cancelled",
                sub.network,
            )
            self.bus.publish(order.id)

    async def _track(self, order: Order) -> None:
        statuses: list[OrderStatus] = []
        for sub in order.sub_orders:
            if sub.state is not SubOrderState.PLACED or sub.native_id is None:
                continue
            connector = self.federation.by_code.get(sub.network)
            record = await connector.get_order(sub.native_id) if connector else None
            if record is None:
                continue
            statuses.append(record.status)
            if record.status.value != sub.network_status:
                await self.store.set_sub_order(
                    order.id, sub.network, network_status=record.status.value
                )
                await self.store.record(
                    order.id,
                    "NETWORK_STATUS",
                    order.status,
                    f"{sub.network} order {record.id} is {record.status.value.lower()}",
                    sub.network,
                )
                self.bus.publish(order.id)
        progress = [_PROGRESS[s] for s in statuses if s in _PROGRESS]
        if not progress:
            return
        least = min(progress, key=_RANK.index)
        if least is not order.status and _RANK.index(least) > _RANK.index(order.status):
            await self.store.transition(
                order.id, least, least.value, f"every network: {least.value.lower()}"
            )
            self.bus.publish(order.id)

    async def run_until(self, stop: asyncio.Event) -> None:
        """Drain the outbox every ``poll`` seconds and track orders every ``track_every``,
        until ``stop`` is set; a pass in progress finishes first."""
        since_track = self.track_every
        while not stop.is_set():
            try:
                # Fresh tasks belong to the requests that wrote them; this loop picks up
                # what is left: crashes, retries, other replicas' leftovers.
                await self.drain(min_age=self.leftover_after)
                if since_track >= self.track_every:
                    await self.track()
                    since_track = 0.0
            except Exception:
                log.exception("order worker pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll)
            since_track += self.poll


@contextlib.asynccontextmanager
async def running(worker: OrderWorker) -> AsyncIterator[OrderWorker]:
    """The worker's loop, for as long as the block runs.

    Stopped by a flag, not by cancelling: a task cancelled inside a database call can leave
    the driver's thread answering a loop that is gone.
    """
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_until(stop))
    try:
        yield worker
    finally:
        stop.set()
        await task
