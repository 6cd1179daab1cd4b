"""Orders: arguments checked and global IDs decoded, then the order service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

from connectors.records import TransactionRecord
from federation.errors import ForbiddenError, NotFoundError, PriceChangedError
from federation.orders.model import Order, OrderState
from federation.orders.placing import LineRequest, PlaceOrderRequest, unit_price
from resolvers import access, validation
from resolvers.catalog import answering_index
from resolvers.context import Context
from resolvers.ids import decode_node, network_key
from resolvers.paging import decode_newest_first, newest_first_cursor
from resolvers.streams import merge, order_transactions


@dataclass(frozen=True)
class LineInput:
    product_id: str
    quantity: int
    expected_unit_price: int | None = None


async def place_order(
    context: Context,
    *,
    buyer_id: str,
    lines: list[LineInput],
    delivery_region_code: str,
    idempotency_key: str,
) -> Order:
    """Place an order across networks on the buyer's behalf: orders:write, and the buyer
    must be the principal's own organisation (FORBIDDEN otherwise, before anything is
    written)."""
    access.require(context, access.ORDERS_WRITE)
    buyer = network_key(buyer_id, "Cooperative", "buyerId")
    wanted = [
        LineRequest(
            product=network_key(line.product_id, "Product", "productId"),
            product_label=line.product_id,
            quantity=line.quantity,
            expected_unit_price=line.expected_unit_price,
        )
        for line in lines
    ]
    request = PlaceOrderRequest(
        buyer=buyer,
        buyer_label=access.own_buyer(context, buyer_id),
        lines=tuple(await _as_shown(context, wanted)),
        delivery_region_code=validation.region(delivery_region_code) or "",
        idempotency_key=idempotency_key,
    )
    try:
        return await context.orders.place(context.loaders, request)
    except PriceChangedError as changed:
        await _show_live(context, changed.product)
        raise


async def _as_shown(context: Context, lines: list[LineRequest]) -> list[LineRequest]:
    """Lines without an expected price get the one the catalog index shows (at their
    quantity's tier): what the buyer saw when it found them."""
    index = await answering_index(context, live=False)
    unpriced = [line.product for line in lines if line.expected_unit_price is None]
    if index is None or not unpriced:
        return lines
    shown = await index.products(unpriced)
    return [
        replace(line, expected_unit_price=unit_price(shown[line.product], line.quantity))
        if line.expected_unit_price is None and line.product in shown
        else line
        for line in lines
    ]


async def _show_live(context: Context, product: tuple[str, str]) -> None:
    """Put a product the buyer found changed into the index as its network has it now."""
    index = context.services.index
    live = await context.loaders.products.load(product)
    if index is not None and live is not None:
        await index.refresh([live])


async def cancel_order(context: Context, order_id: str) -> Order:
    """Cancel an order: orders:write; another organisation's order is NOT_FOUND."""
    access.require(context, access.ORDERS_WRITE)
    native_id = decode_node(order_id, "Order", "id")[0]
    await _own_order(context, native_id)
    return await context.orders.cancel(native_id)


async def order(context: Context, order_id: str) -> Order | None:
    """One order: orders:read; None when it is missing or another organisation's."""
    access.require(context, access.ORDERS_READ)
    found = await context.orders.store.load(decode_node(order_id, "Order", "id")[0])
    if found is None or not access.may_act_for(context, found.buyer_id):
        return None
    return found


async def _own_order(context: Context, native_id: str) -> Order:
    """The order, when it exists and is the principal's; NotFoundError either way else."""
    found = await context.orders.store.load(native_id)
    if found is None or not access.may_act_for(context, found.buyer_id):
        raise NotFoundError(f"no order {native_id}")
    return found


@dataclass(frozen=True)
class OrderPage:
    orders: tuple[Order, ...]
    has_next: bool
    started_after: bool


def order_cursor(order: Order) -> str:
    return newest_first_cursor(order.created_at, order.id)


async def orders(
    context: Context,
    *,
    buyer_id: str | None,
    status: OrderState | None,
    first: int,
    after: str | None,
) -> OrderPage:
    """The newest orders first, by buyer and status: orders:read, and only the principal's
    organisation's (a ``buyer_id`` of another organisation is FORBIDDEN)."""
    access.require(context, access.ORDERS_READ)
    first = validation.page_size(first, context.federation.limits.max_page_size)
    if buyer_id is not None:
        decode_node(buyer_id, "Cooperative", "buyerId")
    buyer_id = access.visible_buyer(context, buyer_id)
    position = decode_newest_first(after, "an order") if after else None
    found = await context.orders.store.page(
        buyer_id=buyer_id, status=status, first=first + 1, after=position
    )
    return OrderPage(tuple(found[:first]), len(found) > first, after is not None)


async def order_updates(context: Context, order_id: str) -> AsyncIterator[Order]:
    """The order's updates: orders:read; another organisation's order is NOT_FOUND."""
    access.require(context, access.ORDERS_READ)
    native_id = decode_node(order_id, "Order", "orderId")[0]
    await _own_order(context, native_id)
    async for order in context.orders.watch(native_id):
        yield order


async def transactions(
    context: Context, cooperative_id: str, poll: float = 1.0
) -> AsyncIterator[TransactionRecord]:
    """The cooperative's transactions as they happen: its network's live stream, if it has
    one, merged with the hub's own order events for it. orders:read, and only the
    principal's own cooperative (FORBIDDEN otherwise)."""
    access.require(context, access.ORDERS_READ)
    if not access.may_act_for(context, cooperative_id):
        raise ForbiddenError("a token follows only its own organisation's transactions")
    network, native_id = network_key(cooperative_id, "Cooperative", "cooperativeId")
    connector = context.federation.by_code.get(network)
    live = connector.transactions(native_id) if connector is not None else None
    hub = order_transactions(context.orders.store, cooperative_id, poll)
    async for record in merge(hub, live) if live is not None else hub:
        yield record
