"""Orders placed on a buyer's behalf: idempotent create, get, cancel and status moves."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.db import Database
from networks.common.errors import ApiError
from networks.common.http import parse_body, parse_query
from networks.tangerang.broadcast import Broadcaster, Event
from networks.tangerang.catalog import load_items
from networks.tangerang.ids import Kind, format_id, parse_id
from networks.tangerang.ledger import log_item_change, record_transaction
from networks.tangerang.paging import check_limit
from networks.tangerang.schemas import Order, OrderCreate, OrderPage, OrderQuery
from networks.tangerang.tables import cooperatives, items, order_lines, orders
from networks.tangerang.views import order_view
from networks.tangerang.web import authenticate, not_found, now_iso, path_id, reply, services

IDEMPOTENCY_HEADER = "Idempotency-Key"
NEXT_STATUS = {"created": "confirmed", "confirmed": "shipped", "shipped": "delivered"}
CANCELLABLE = frozenset({"created", "confirmed"})


def _line_error(code: str, message: str, problems: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, code, message, problems)


async def load_order(session: AsyncSession, number: int, client_id: str | None) -> Any:
    """The order row (None when absent or, with ``client_id``, another client's)."""
    stmt = select(orders).where(orders.c.id == number)
    if client_id is not None:
        stmt = stmt.where(orders.c.client_id == client_id)
    return (await session.execute(stmt)).first()


async def render_order(session: AsyncSession, row: Any) -> Order:
    (order,) = await render_orders(session, [row])
    return order


async def render_orders(session: AsyncSession, rows: list[Any]) -> list[Order]:
    """Order rows as API models, with every order's lines read in one query."""
    lines: dict[int, list[Any]] = {row.id: [] for row in rows}
    found = await session.execute(
        select(order_lines)
        .where(order_lines.c.order_id.in_(list(lines)))
        .order_by(order_lines.c.order_id, order_lines.c.line_number)
    )
    for line in found:
        lines[line.order_id].append(line)
    return [order_view(row, lines[row.id]) for row in rows]


async def _place(
    session: AsyncSession,
    outbox: list[Event],
    client_id: str,
    key: str,
    digest: str,
    body: OrderCreate,
) -> Any:
    raw_ids = [line.item_id for line in body.lines]
    repeated = sorted({raw for raw in raw_ids if raw_ids.count(raw) > 1})
    if repeated:
        raise _line_error(
            "duplicate_line",
            "each item may appear in one line only",
            [{"item_id": raw, "problem": "repeated"} for raw in repeated],
        )
    numbers = {raw: parse_id(Kind.ITEM, raw) for raw in raw_ids}
    found = await load_items(session, [n for n in numbers.values() if n is not None])
    unknown = [raw for raw, n in numbers.items() if n is None or n not in found]
    if unknown:
        raise _line_error(
            "unknown_item",
            "some items do not exist in this network",
            [{"item_id": raw, "problem": "not found"} for raw in unknown],
        )
    too_few = [
        {"item_id": line.item_id, "problem": f"minimum order is {row.min_order}"}
        for line in body.lines
        if line.quantity < (row := found[numbers[line.item_id] or 0]).min_order
    ]
    if too_few:
        raise _line_error("below_min_order", "quantity below the minimum order", too_few)
    short = [
        {"item_id": line.item_id, "problem": f"only {row.stock} in stock"}
        for line in body.lines
        if (row := found[numbers[line.item_id] or 0]).stock is not None
        and row.stock < line.quantity
    ]
    if short:
        raise ApiError(409, "insufficient_stock", "not enough stock for some lines", short)

    coop_number = parse_id(Kind.COOPERATIVE, body.buyer.organization_id)
    if coop_number is not None:
        known = await session.execute(
            select(cooperatives.c.id).where(cooperatives.c.id == coop_number)
        )
        coop_number = known.scalar_one_or_none()
    stamp = now_iso()
    total = sum(found[numbers[line.item_id] or 0].price * line.quantity for line in body.lines)
    result = await session.execute(
        insert(orders)
        .values(
            client_id=client_id,
            idempotency_key=key,
            request_hash=digest,
            status="created",
            buyer_name=body.buyer.name,
            buyer_organization_id=body.buyer.organization_id,
            buyer_home_network=body.buyer.home_network,
            delivery_region_code=body.buyer.delivery_region_code,
            note=body.note,
            cooperative_id=coop_number,
            total=total,
            created_at=stamp,
            updated_at=stamp,
        )
        .returning(orders.c.id)
    )
    order_id = int(result.scalar_one())
    for position, line in enumerate(body.lines, 1):
        row = found[numbers[line.item_id] or 0]
        reserved = row.stock is not None
        await session.execute(
            insert(order_lines).values(
                order_id=order_id,
                line_number=position,
                item_id=row.id,
                merchant_id=row.merchant_id,
                name=row.name,
                unit=row.unit,
                quantity=line.quantity,
                unit_price=row.price,
                stock_reserved=reserved,
            )
        )
        if reserved:
            await session.execute(
                update(items)
                .where(items.c.id == row.id)
                .values(stock=items.c.stock - line.quantity, updated_at=stamp)
            )
            await log_item_change(session, row.id, "upsert")
    await record_transaction(
        session,
        outbox,
        type="order_created",
        amount=total,
        description=f"Order {format_id(Kind.ORDER, order_id)} for {body.buyer.name}",
        cooperative_id=coop_number,
        order_id=order_id,
        client_id=client_id,
    )
    return await load_order(session, order_id, None)


async def create_order(request: Request) -> Response:
    """POST /v2/orders (requires an Idempotency-Key header)."""
    client_id = await authenticate(request)
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if not key:
        raise ApiError(400, "idempotency_key_required", "send an Idempotency-Key header")
    if len(key) > 200:
        raise ApiError(400, "invalid_idempotency_key", "Idempotency-Key is at most 200 characters")
    body = await parse_body(request, OrderCreate)
    digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
    svc = services(request)
    async with svc.broadcaster.publishing() as outbox, database(request).write() as session:
        existing = (
            await session.execute(
                select(orders).where(
                    orders.c.client_id == client_id, orders.c.idempotency_key == key
                )
            )
        ).first()
        if existing is not None and existing.request_hash != digest:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request body",
            )
        row = existing or await _place(session, outbox, client_id, key, digest, body)
        order = await render_order(session, row)
    headers = {"Idempotent-Replayed": "true"} if existing is not None else None
    return reply(order, 201, headers)


async def list_orders(request: Request) -> Response:
    """GET /v2/orders?idempotency_key=: the client's own orders, oldest first.

    With ``idempotency_key`` it answers which order, if any, that key placed, so a client
    that lost the answer to a POST can look before it tries again.
    """
    client_id = await authenticate(request)
    query = parse_query(request, OrderQuery)
    svc = services(request)
    check_limit(query.limit, svc.settings.max_page_size)
    after = svc.cursors.decode("orders", query.cursor)
    stmt = select(orders).where(orders.c.client_id == client_id, orders.c.id > after)
    if query.idempotency_key is not None:
        stmt = stmt.where(orders.c.idempotency_key == query.idempotency_key)
    async with database(request).read() as session:
        rows = list(
            (await session.execute(stmt.order_by(orders.c.id).limit(query.limit + 1))).all()
        )
        page = await render_orders(session, rows[: query.limit])
    cursor = None
    if len(rows) > query.limit:
        cursor = svc.cursors.encode("orders", rows[query.limit - 1].id)
    return reply(OrderPage(items=page, next_cursor=cursor))


async def get_order(request: Request) -> Response:
    """GET /v2/orders/{id}: only the client's own orders."""
    client_id = await authenticate(request)
    number = path_id(request, Kind.ORDER, "order")
    async with database(request).read() as session:
        row = await load_order(session, number, client_id)
        if row is None:
            raise not_found("order", str(request.path_params["id"]))
        order = await render_order(session, row)
    return reply(order)


async def _set_status(session: AsyncSession, outbox: list[Event], row: Any, status: str) -> Any:
    await session.execute(
        update(orders).where(orders.c.id == row.id).values(status=status, updated_at=now_iso())
    )
    await record_transaction(
        session,
        outbox,
        type=f"order_{status}",
        amount=row.total,
        description=f"Order {format_id(Kind.ORDER, row.id)} {status}",
        cooperative_id=row.cooperative_id,
        order_id=row.id,
        client_id=row.client_id,
    )
    return await load_order(session, row.id, None)


async def cancel_order(request: Request) -> Response:
    """POST /v2/orders/{id}:cancel: allowed until shipped; gives the stock back."""
    client_id = await authenticate(request)
    number = path_id(request, Kind.ORDER, "order")
    svc = services(request)
    async with svc.broadcaster.publishing() as outbox, database(request).write() as session:
        row = await load_order(session, number, client_id)
        if row is None:
            raise not_found("order", str(request.path_params["id"]))
        if row.status != "cancelled":
            if row.status not in CANCELLABLE:
                raise ApiError(
                    409,
                    "order_not_cancellable",
                    f"an order that is {row.status} cannot be cancelled",
                )
            await _restore_stock(session, row.id)
            row = await _set_status(session, outbox, row, "cancelled")
        order = await render_order(session, row)
    return reply(order)


async def _restore_stock(session: AsyncSession, order_id: int) -> None:
    lines = (
        await session.execute(
            select(order_lines).where(
                order_lines.c.order_id == order_id, order_lines.c.stock_reserved.is_(True)
            )
        )
    ).all()
    stamp = now_iso()
    for line in lines:
        result = await session.execute(
            update(items)
            .where(items.c.id == line.item_id, items.c.stock.is_not(None))
            .values(stock=items.c.stock + line.quantity, updated_at=stamp)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            await log_item_change(session, line.item_id, "upsert")


async def advance_order(session: AsyncSession, outbox: list[Event], number: int) -> Order:
    """Move an order one status forward (created → confirmed → shipped → delivered)."""
    row = await load_order(session, number, None)
    if row is None:
        raise not_found("order", format_id(Kind.ORDER, number))
    following = NEXT_STATUS.get(row.status)
    if following is None:
        raise ApiError(409, "order_not_advanceable", f"an order that is {row.status} is final")
    return await render_order(session, await _set_status(session, outbox, row, following))


async def advance_open_orders(db: Database, broadcaster: Broadcaster) -> int:
    """The order clock's tick: every open order moves one step. Returns how many moved."""
    async with broadcaster.publishing() as outbox, db.write() as session:
        open_ids = (
            await session.execute(
                select(orders.c.id).where(orders.c.status.in_(NEXT_STATUS)).order_by(orders.c.id)
            )
        ).scalars()
        moved = 0
        for number in list(open_ids):
            await advance_order(session, outbox, number)
            moved += 1
    return moved


routes = [
    Route("/v2/orders", create_order, methods=["POST"]),
    Route("/v2/orders", list_orders, methods=["GET"]),
    Route("/v2/orders/{id}:cancel", cancel_order, methods=["POST"]),
    Route("/v2/orders/{id}", get_order, methods=["GET"]),
]
