"""Orders: arguments checked and global IDs decoded, then the order service."""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator
from dataclasses import dataclass

from connectors.records import TransactionRecord
from federation.errors import InputError
from federation.orders.model import Order, OrderState
from federation.orders.placing import LineRequest, PlaceOrderRequest
from resolvers import validation
from resolvers.context import Context
from resolvers.ids import decode_node
from resolvers.streams import merge, order_transactions


@dataclass(frozen=True)
class LineInput:
    product_id: str
    quantity: int


async def place_order(
    context: Context,
    *,
    buyer_id: str,
    lines: list[LineInput],
    delivery_region_code: str,
    idempotency_key: str,
) -> Order:
    """Place an order across networks on the buyer's behalf."""
    request = PlaceOrderRequest(
        buyer=_pair(decode_node(buyer_id, "Cooperative", "buyerId")),
        buyer_label=buyer_id,
        lines=tuple(
            LineRequest(
                product=_pair(decode_node(line.product_id, "Product", "productId")),
                product_label=line.product_id,
                quantity=line.quantity,
            )
            for line in lines
        ),
        delivery_region_code=validation.region(delivery_region_code) or "",
        idempotency_key=idempotency_key,
    )
    return await context.orders.place(context.loaders, request)


async def cancel_order(context: Context, order_id: str) -> Order:
    return await context.orders.cancel(decode_node(order_id, "Order", "id")[0])


async def order(context: Context, order_id: str) -> Order | None:
    found = await context.orders.store.load(decode_node(order_id, "Order", "id")[0])
    return found


@dataclass(frozen=True)
class OrderPage:
    orders: tuple[Order, ...]
    has_next: bool
    started_after: bool


def order_cursor(order: Order) -> str:
    return base64.urlsafe_b64encode(f"{order.created_at!r}|{order.id}".encode()).decode()


async def orders(
    context: Context,
    *,
    buyer_id: str | None,
    status: OrderState | None,
    first: int,
    after: str | None,
) -> OrderPage:
    """The newest orders first, by buyer and status."""
    first = validation.page_size(first, context.federation.limits.max_page_size)
    if buyer_id is not None:
        decode_node(buyer_id, "Cooperative", "buyerId")
    position = _decode_cursor(after) if after else None
    found = await context.orders.store.page(
        buyer_id=buyer_id, status=status, first=first + 1, after=position
    )
    return OrderPage(tuple(found[:first]), len(found) > first, after is not None)


def _decode_cursor(cursor: str) -> tuple[float, str]:
    try:
        created, _, order_id = base64.urlsafe_b64decode(cursor).decode().partition("|")
        return float(created), order_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InputError("`after` is not an order cursor this API issued") from None


async def order_updates(context: Context, order_id: str) -> AsyncIterator[Order]:
    async for order in context.orders.watch(decode_node(order_id, "Order", "orderId")[0]):
        yield order


async def transactions(
    context: Context, cooperative_id: str, poll: float = 1.0
) -> AsyncIterator[TransactionRecord]:
    """The cooperative's transactions as they happen: its network's live stream, if it has
    one, merged with the hub's own order events for it."""
    network, native_id = _pair(decode_node(cooperative_id, "Cooperative", "cooperativeId"))
    connector = context.federation.by_code.get(network)
    live = connector.transactions(native_id) if connector is not None else None
    hub = order_transactions(context.orders.store, cooperative_id, poll)
    async for record in merge(hub, live) if live is not None else hub:
        yield record


def _pair(parts: tuple[str, ...]) -> tuple[str, str]:
    if len(parts) != 2:
        raise InputError("that ID does not name a network's record")
    return parts[0], parts[1]
