"""Closing a group buy: one aggregate order through the order saga, followed to its outcome.

The order's idempotency key is derived from the group buy, and the quantities stopped
changing when it went CLOSING, so placing again after a crash (or from another replica)
returns the same order instead of a second one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from federation.errors import ConflictError, InputError, NotFoundError
from federation.groupbuy.allocation import charged, uncharged
from federation.groupbuy.model import GroupBuy, GroupBuyState
from federation.groupbuy.store import GroupBuyStore
from federation.loaders import Loaders
from federation.orders.bus import OrderBus
from federation.orders.model import Order, OrderState
from federation.orders.placing import LineRequest, PlaceOrderRequest
from federation.orders.service import OrderService

Keepalive = Callable[[], Awaitable[None]]

ORDERED = frozenset({OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.DELIVERED})
NOTHING_ORDERED = frozenset({OrderState.FAILED, OrderState.CANCELLED})


class TakenOver(Exception):
    """Another closer holds the group buy now: stop without writing anything more."""


def order_key(group_buy_id: str) -> str:
    """The aggregate order's idempotency key: one order per group buy, however often tried."""
    return f"group-buy-{group_buy_id}"


def order_request(group_buy: GroupBuy) -> PlaceOrderRequest:
    """The aggregate order: the coordinator buys the total, delivered to its region."""
    return PlaceOrderRequest(
        buyer=group_buy.coordinator,
        buyer_label=group_buy.coordinator_label,
        lines=(
            LineRequest(
                group_buy.product,
                group_buy.product_label,
                group_buy.total_quantity,
                # Participants committed at the quoted tier price: never charge them more.
                expected_unit_price=group_buy.quote.unit_price,
            ),
        ),
        delivery_region_code=group_buy.delivery_region_code,
        idempotency_key=order_key(group_buy.id),
    )


class GroupBuyClosing:
    def __init__(self, store: GroupBuyStore, orders: OrderService, bus: OrderBus) -> None:
        self.store = store
        self.orders = orders
        self.bus = bus

    async def settle(self, group_buy_id: str, keepalive: Keepalive) -> GroupBuy:
        """Take a CLOSING group buy as far as its order goes now: CLOSED, FAILED, or still
        CLOSING while the order is in flight. Anything else is returned as it is.

        A network that cannot be reached raises ConnectorError: try again later.
        """
        group_buy = await self._load(group_buy_id)
        if group_buy.status is not GroupBuyState.CLOSING:
            return group_buy
        if group_buy.order_id is None:
            await keepalive()
            try:
                order = await self.orders.place(
                    Loaders(self.orders.federation), order_request(group_buy)
                )
            except (InputError, NotFoundError, ConflictError) as refusal:
                await self._end(
                    group_buy,
                    GroupBuyState.FAILED,
                    f"the aggregate order could not be placed: {refusal.message}",
                )
                return await self._load(group_buy_id)
            await self.store.record_order(group_buy.id, order.id)
            self.bus.publish(group_buy.id)
        else:
            order = await self.orders.get(group_buy.order_id)
        await self._follow(group_buy, order)
        return await self._load(group_buy_id)

    async def fail_unfilled(self, group_buy: GroupBuy, reason: str) -> None:
        """An OPEN group buy reached its closing time with nothing it could order."""
        await self._end(group_buy, GroupBuyState.FAILED, reason, from_status=GroupBuyState.OPEN)

    async def _follow(self, group_buy: GroupBuy, order: Order) -> None:
        if order.status in ORDERED:
            if await self.store.finish(
                group_buy.id, GroupBuyState.CLOSED, charged(group_buy, order)
            ):
                self.bus.publish(group_buy.id)
        elif order.status in NOTHING_ORDERED:
            why = order.failure_reason or f"the order was {order.status.value.lower()}"
            await self._end(group_buy, GroupBuyState.FAILED, f"the aggregate order failed: {why}")
        # Otherwise the order is in flight: the order worker moves it, a closer looks again.

    async def _end(
        self,
        group_buy: GroupBuy,
        status: GroupBuyState,
        reason: str,
        from_status: GroupBuyState = GroupBuyState.CLOSING,
    ) -> None:
        if await self.store.finish(
            group_buy.id, status, uncharged(group_buy), reason=reason, from_status=from_status
        ):
            self.bus.publish(group_buy.id)

    async def _load(self, group_buy_id: str) -> GroupBuy:
        group_buy = await self.store.load(group_buy_id)
        if group_buy is None:
            raise LookupError(f"group buy {group_buy_id} vanished from the hub database")
        return group_buy
