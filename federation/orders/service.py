"""``OrderService``: what the graph calls to place, cancel, read and watch orders."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from connectors.records import OrderStatus
from federation.errors import ConflictError, NotFoundError
from federation.hub import Federation
from federation.loaders import Loaders
from federation.orders.bus import OrderBus
from federation.orders.model import Order, OrderDraft, OrderState
from federation.orders.placing import PlaceOrderRequest, check_shape, draft_order, fingerprint
from federation.orders.saga import OrderSaga
from federation.orders.store import OrderStore
from federation.orders.worker import OrderWorker

# While the saga is placing or cancelling, a caller waits a little for the outcome;
# anything else (including COMPENSATING, which may wait on a network) is answered at once.
IN_FLIGHT = frozenset({OrderState.PENDING, OrderState.PLACING, OrderState.CANCELLING})
CANCELLABLE_AT_NETWORK = frozenset(
    {OrderStatus.CREATED, OrderStatus.CONFIRMED, OrderStatus.CANCELLED}
)


class OrderService:
    def __init__(
        self,
        store: OrderStore,
        federation: Federation,
        *,
        settle_seconds: float = 10.0,
        retry_after: float = 2.0,
        lease: float = 10.0,
    ) -> None:
        self.store = store
        self.federation = federation
        self.bus = OrderBus()
        self.saga = OrderSaga(store, federation, self.bus)
        self.worker = OrderWorker(
            store, self.saga, federation, self.bus, retry_after=retry_after, lease=lease
        )
        self.settle_seconds = settle_seconds

    async def place(self, loaders: Loaders, request: PlaceOrderRequest) -> Order:
        """Place an order across networks; the same buyer's same idempotency key gives the
        same order (keys are per buyer).

        Returns once the saga is past placing (CONFIRMED, FAILED, or COMPENSATING while a
        network is unreachable) or ``settle_seconds`` passed; the worker finishes the rest,
        also after a crash.
        """
        check_shape(request)
        existing = await self.store.find_by_key(
            request.buyer_label, request.idempotency_key, fingerprint(request)
        )
        if existing is not None:
            return await self._settled(existing.id)
        return await self.place_draft(await draft_order(loaders, request))

    async def place_draft(self, draft: OrderDraft) -> Order:
        """Place an order already checked and priced (an RFQ award's, say): written with
        its outbox task, or the one its idempotency key made found; then as ``place``."""
        order, created = await self.store.create(draft)
        if created:
            await self.worker.drain(order.id)
        return await self._settled(order.id)

    async def cancel(self, order_id: str) -> Order:
        """Cancel a confirmed order at every network, or refuse when it is too late."""
        order = await self.get(order_id)
        if order.status is OrderState.CANCELLED:
            return order
        if order.status is not OrderState.CONFIRMED:
            raise ConflictError(f"an order that is {order.status.value} cannot be cancelled")
        for sub in order.sub_orders:
            connector = self.federation.by_code.get(sub.network)
            if connector is None or sub.native_id is None:
                continue
            live = await connector.get_order(sub.native_id)  # unreachable: NETWORK_UNAVAILABLE
            if live is not None and live.status not in CANCELLABLE_AT_NETWORK:
                raise ConflictError(
                    f"too late to cancel: {sub.network} has it {live.status.value.lower()}"
                )
        await self.store.transition(
            order.id, OrderState.CANCELLING, "CANCELLING", "cancel requested"
        )
        await self.worker.outbox.enqueue(order.id, "cancel")
        self.bus.publish(order.id)
        await self.worker.drain(order.id)
        return await self._settled(order.id)

    async def get(self, order_id: str) -> Order:
        order = await self.store.load(order_id)
        if order is None:
            raise NotFoundError(f"no order {order_id}")
        return order

    async def watch(self, order_id: str, poll: float = 1.0) -> AsyncIterator[Order]:
        """The order now, then again every time it changes (polled as a fallback)."""
        order = await self.get(order_id)
        last = order.events[-1].id if order.events else 0
        yield order
        while not order.status.final:
            await self.bus.wait(order_id, poll)
            if not await self.store.events_after(order_id, last):
                continue
            order = await self.get(order_id)
            last = order.events[-1].id if order.events else last
            yield order

    async def _settled(self, order_id: str) -> Order:
        deadline = time.monotonic() + self.settle_seconds
        order = await self.get(order_id)
        while order.status in IN_FLIGHT and time.monotonic() < deadline:
            await self.bus.wait(order_id, min(0.5, max(0.0, deadline - time.monotonic())))
            order = await self.get(order_id)
        return order
