"""The order saga: place every sub-order, then confirm; or cancel the placed ones.

Each step is written to the database before it is taken, and every network call is
idempotent by the sub-order's reference, so running the saga again from whatever it last
wrote (after a crash, or by another replica) finishes the order without doubling it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from connectors.base import Connector
from connectors.errors import ConnectorError, NetworkRejected, NetworkTimeout, NetworkUnavailable
from connectors.records import Buyer, OrderLineRequest, OrderRecord, OrderRequest, OrderStatus
from federation.hub import Federation
from federation.orders.bus import OrderBus
from federation.orders.model import Order, OrderState, SubOrder, SubOrderState
from federation.orders.store import OrderStore

log = logging.getLogger(__name__)

Keepalive = Callable[[], Awaitable[None]]


class LeaseLost(Exception):
    """Another worker took the order over: stop without writing anything more."""


async def _still_ours() -> None:
    return None


class OrderSaga:
    def __init__(
        self,
        store: OrderStore,
        federation: Federation,
        bus: OrderBus,
        *,
        attempts: int = 3,
        backoff: float = 0.2,
    ) -> None:
        self.store = store
        self.federation = federation
        self.bus = bus
        self.attempts = attempts
        self.backoff = backoff

    async def place(self, order_id: str, keepalive: Keepalive = _still_ours) -> None:
        """Take the order from wherever it stands to CONFIRMED or FAILED.

        Raises ConnectorError when compensation cannot reach a network: the order stays
        COMPENSATING and the task is tried again later.
        """
        order = await self._load(order_id)
        if order.status is OrderState.PENDING:
            await self._move(order, OrderState.PLACING, "PLACING", "placing sub-orders")
            order = await self._load(order_id)
        if order.status is OrderState.PLACING:
            for sub in order.sub_orders:
                await keepalive()
                failure = await self._place_one(order, sub)
                if failure is not None:
                    await self._move(
                        order, OrderState.COMPENSATING, "COMPENSATING", failure, reason=failure
                    )
                    break
            else:
                placed = await self._load(order_id)
                total = sum(s.total or 0 for s in placed.sub_orders)
                await self._move(
                    placed,
                    OrderState.CONFIRMED,
                    "CONFIRMED",
                    "every network confirmed",
                    total=total,
                )
                return
            order = await self._load(order_id)
        if order.status is OrderState.COMPENSATING:
            refused = await self._compensate(order, keepalive)
            reason = "; ".join([order.failure_reason or "failed", *refused])
            await self._move(order, OrderState.FAILED, "FAILED", reason, reason=reason)

    async def cancel(self, order_id: str, keepalive: Keepalive = _still_ours) -> None:
        """Cancel every sub-order of a CANCELLING order, then mark it CANCELLED."""
        order = await self._load(order_id)
        if order.status is not OrderState.CANCELLING:
            return
        refused = await self._compensate(order, keepalive)
        if refused:
            # Too late somewhere (shipped meanwhile): the order lives on; tracking follows it.
            await self._move(order, OrderState.CONFIRMED, "CANCEL_REFUSED", "; ".join(refused))
        else:
            await self._move(order, OrderState.CANCELLED, "CANCELLED", "cancelled at every network")

    async def _place_one(self, order: Order, sub: SubOrder) -> str | None:
        """Place ``sub`` unless it already is; the reason when it cannot be placed."""
        if sub.state is SubOrderState.PLACED:
            return None
        if sub.state is SubOrderState.REJECTED:
            return sub.last_error or f"{sub.network} refused the order"
        connector = self._connector(sub.network)
        request = OrderRequest(
            reference=sub.reference,
            buyer=Buyer(
                name=order.buyer_name,
                organization_id=order.buyer_id,
                home_network=order.buyer_network,
                delivery_region_code=order.delivery_region_code,
            ),
            lines=tuple(
                OrderLineRequest(line.product_id, line.quantity)
                for line in order.lines
                if line.network == sub.network
            ),
        )
        # Written before it is taken: after a crash, PLACING means "may have landed".
        maybe_landed = sub.state is SubOrderState.PLACING or sub.attempts > 0
        await self.store.set_sub_order(
            order.id, sub.network, state=SubOrderState.PLACING, attempts=sub.attempts + 1
        )
        try:
            record = await self._with_retries(
                lambda retry: connector.place_order(request, retry=retry), maybe_landed
            )
        except NetworkRejected as error:
            reason = f"{sub.network} refused the order: {error.message}"
            await self.store.set_sub_order(
                order.id, sub.network, state=SubOrderState.REJECTED, last_error=reason
            )
            return reason
        except ConnectorError as error:
            reason = f"{sub.network} could not be reached: {error.message}"
            await self.store.set_sub_order(order.id, sub.network, last_error=reason)
            return reason
        await self._placed(order, sub, record)
        return None

    async def _placed(self, order: Order, sub: SubOrder, record: OrderRecord) -> None:
        await self.store.set_sub_order(
            order.id,
            sub.network,
            state=SubOrderState.PLACED,
            native_id=record.id,
            network_status=record.status.value,
            total=record.total,
            last_error=None,
        )
        await self.store.record(
            order.id,
            "SUB_ORDER_PLACED",
            OrderState.PLACING,
            f"{sub.network} order {record.id} {record.status.value.lower()}",
            sub.network,
        )
        self.bus.publish(order.id)

    async def _compensate(self, order: Order, keepalive: Keepalive) -> list[str]:
        """Cancel, newest first, every sub-order that exists or may exist at its network.

        Returns the refusals (a network that says it is too late); other failures raise,
        so the task is tried again later.
        """
        refused: list[str] = []
        for sub in reversed(order.sub_orders):
            if sub.state not in (SubOrderState.PLACED, SubOrderState.PLACING):
                continue
            await keepalive()
            connector = self._connector(sub.network)
            native_id = sub.native_id
            if native_id is None:
                found = await connector.find_order(sub.reference)
                if found is None:
                    await self.store.set_sub_order(
                        order.id, sub.network, state=SubOrderState.CANCELLED
                    )
                    continue
                native_id = found.id
            try:
                cancelled = await connector.cancel_order(native_id)
            except NetworkRejected as error:
                message = f"{sub.network} would not cancel: {error.message}"
                await self.store.record(
                    order.id, "SUB_ORDER_CANCEL_REFUSED", order.status, message, sub.network
                )
                refused.append(message)
                continue
            await self.store.set_sub_order(
                order.id,
                sub.network,
                state=SubOrderState.CANCELLED,
                native_id=native_id,
                network_status=OrderStatus.CANCELLED.value,
            )
            await self.store.record(
                order.id,
                "SUB_ORDER_CANCELLED",
                order.status,
                f"{sub.network} order {cancelled.id} cancelled",
                sub.network,
            )
        return refused

    async def _with_retries(
        self, call: Callable[[bool], Awaitable[OrderRecord]], maybe_landed: bool
    ) -> OrderRecord:
        retry = maybe_landed
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.backoff, max=2),
            retry=retry_if_exception_type((NetworkUnavailable, NetworkTimeout)),
            reraise=True,
        ):
            with attempt:
                try:
                    return await call(retry)
                finally:
                    retry = True  # whatever happened, the next try may find it landed
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _move(
        self,
        order: Order,
        status: OrderState,
        kind: str,
        message: str,
        *,
        reason: str | None = None,
        total: int | None = None,
    ) -> None:
        await self.store.transition(
            order.id, status, kind, message, failure_reason=reason, total=total
        )
        self.bus.publish(order.id)

    async def _load(self, order_id: str) -> Order:
        order = await self.store.load(order_id)
        if order is None:
            raise LookupError(f"order {order_id} vanished from the hub database")
        return order

    def _connector(self, network: str) -> Connector:
        connector = self.federation.by_code.get(network)
        if connector is None:
            raise NetworkUnavailable(network, "no longer configured in this hub")
        return connector
