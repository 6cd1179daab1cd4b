"""Purchase orders: placed by a client (idempotent per reference), cancelled, advanced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from networks.padi import tables
from networks.padi.catalog import inserted_id, page_of, paged, record_change
from networks.padi.clock import now_iso
from networks.padi.errors import (
    INVALID_INPUT,
    INVALID_STATE,
    NOT_FOUND,
    OUT_OF_STOCK,
    PadiError,
)
from networks.padi.paging import Paging
from networks.padi.records import (
    BuyerRecord,
    OrderLineRecord,
    Page,
    PurchaseOrderInput,
    PurchaseOrderRecord,
)
from networks.padi.references import made_before, request_hash

NEXT_STATUS = {"CREATED": "CONFIRMED", "CONFIRMED": "SHIPPED", "SHIPPED": "DELIVERED"}
CANCELLABLE = frozenset({"CREATED", "CONFIRMED"})
STATUSES = ("CREATED", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED")


async def load_order(session: AsyncSession, order_id: int) -> PurchaseOrderRecord | None:
    """One order with its lines, whoever placed it."""
    row = (
        (
            await session.execute(
                select(tables.purchase_orders).where(tables.purchase_orders.c.id == order_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return (await _with_lines(session, [row]))[0]


async def _with_lines(session: AsyncSession, rows: list[Any]) -> list[PurchaseOrderRecord]:
    lines_table = tables.purchase_order_lines
    found = await session.execute(
        select(lines_table)
        .where(lines_table.c.order_id.in_([r["id"] for r in rows]))
        .order_by(lines_table.c.order_id, lines_table.c.line_no)
    )
    lines: dict[int, list[OrderLineRecord]] = {}
    for line in found.mappings():
        lines.setdefault(line["order_id"], []).append(
            OrderLineRecord(
                line_no=line["line_no"],
                product_id=line["product_id"],
                umkm_id=line["umkm_id"],
                description=line["description"],
                quantity=line["quantity"],
                unit_price=line["unit_price"],
                amount=line["quantity"] * line["unit_price"],
            )
        )
    return [
        PurchaseOrderRecord(
            id=r["id"],
            client_reference=r["client_reference"],
            status=r["status"],
            buyer=BuyerRecord(
                name=r["buyer_name"],
                organization_id=r["buyer_organization_id"],
                home_network=r["buyer_home_network"],
                delivery_region_code=r["delivery_region_code"],
            ),
            lines=lines.get(r["id"], []),
            total=r["total"],
            rfq_id=r["rfq_id"],
            bumn_id=r["bumn_id"],
            created_at=r["created_at"],
            updated_at=r["updated_at"],
        )
        for r in rows
    ]


async def order_for(
    session: AsyncSession, client_id: str, order_id: int
) -> PurchaseOrderRecord | None:
    """The order if ``client_id`` placed it: other clients' orders do not exist for it."""
    order = await load_order(session, order_id)
    if order is None:
        return None
    owner = await session.scalar(
        select(tables.purchase_orders.c.client_id).where(tables.purchase_orders.c.id == order_id)
    )
    return order if owner == client_id else None


async def list_orders(
    session: AsyncSession,
    client_id: str,
    paging: Paging,
    status: str | None = None,
    client_reference: str | None = None,
) -> Page[PurchaseOrderRecord]:
    """The client's own orders, oldest first."""
    po = tables.purchase_orders.c
    query = select(tables.purchase_orders).where(po.client_id == client_id)
    if status:
        query = query.where(po.status == status)
    if client_reference:
        query = query.where(po.client_reference == client_reference)
    rows, total = await paged(session, query, paging, po.id)
    items = await _with_lines(session, rows) if rows else []
    return page_of(items, paging, total)


async def create_purchase_order(
    session: AsyncSession, client_id: str, data: PurchaseOrderInput
) -> PurchaseOrderRecord:
    """Place an order, or return the one already placed under the same reference."""
    fingerprint = request_hash(data)
    existing = await made_before(
        session,
        tables.purchase_orders,
        "client_id",
        client_id,
        data.client_reference,
        fingerprint,
        "order",
    )
    if existing is not None:
        order = await load_order(session, existing)
        assert order is not None
        return order
    products = await _check_lines(session, data)
    now = now_iso()
    total = sum(products[line.product_id]["price"] * line.quantity for line in data.lines)
    result = await session.execute(
        insert(tables.purchase_orders).values(
            client_id=client_id,
            client_reference=data.client_reference,
            request_hash=fingerprint,
            buyer_name=data.buyer.name,
            buyer_organization_id=data.buyer.organization_id,
            buyer_home_network=data.buyer.home_network,
            delivery_region_code=data.buyer.delivery_region_code,
            status="CREATED",
            total=total,
            created_at=now,
            updated_at=now,
        )
    )
    order_id = inserted_id(result)
    p = tables.products.c
    for number, line in enumerate(data.lines, start=1):
        product = products[line.product_id]
        await session.execute(
            insert(tables.purchase_order_lines).values(
                order_id=order_id,
                line_no=number,
                product_id=product["id"],
                umkm_id=product["umkm_id"],
                description=product["name"],
                quantity=line.quantity,
                unit_price=product["price"],
            )
        )
        await session.execute(
            update(tables.products)
            .where(p.id == product["id"])
            .values(stock=p.stock - line.quantity)
        )
        await record_change(session, product["id"])
    order = await load_order(session, order_id)
    assert order is not None
    return order


async def _check_lines(session: AsyncSession, data: PurchaseOrderInput) -> dict[str, Any]:
    p = tables.products.c
    ids = [line.product_id for line in data.lines]
    rows = await session.execute(
        select(tables.products).where(p.id.in_(set(ids)), p.deleted.is_(False))
    )
    products = {row["id"]: row for row in rows.mappings()}
    seen: set[str] = set()
    problems: list[tuple[str, dict[str, Any]]] = []
    for index, line in enumerate(data.lines):
        field = f"lines.{index}"
        product = products.get(line.product_id)
        if line.product_id in seen:
            problems.append(
                (INVALID_INPUT, {"field": field, "problem": "product repeated in another line"})
            )
        elif product is None:
            problems.append(
                (NOT_FOUND, {"field": field, "problem": f"product {line.product_id} not found"})
            )
        elif line.quantity < product["min_order"]:
            problem = f"minimum order is {product['min_order']} {product['unit']}"
            problems.append((INVALID_INPUT, {"field": field, "problem": problem}))
        elif line.quantity > product["stock"]:
            problem = f"only {product['stock']} {product['unit']} in stock"
            problems.append((OUT_OF_STOCK, {"field": field, "problem": problem}))
        seen.add(line.product_id)
    if problems:
        code = problems[0][0]
        raise PadiError(code, "the order cannot be placed", [detail for _, detail in problems])
    return products


async def cancel_purchase_order(
    session: AsyncSession, client_id: str, order_id: int
) -> PurchaseOrderRecord:
    """Cancel the client's order before it ships, putting the stock back."""
    order = await order_for(session, client_id, order_id)
    if order is None:
        raise PadiError(NOT_FOUND, "purchase order not found")
    if order.status not in CANCELLABLE:
        raise PadiError(INVALID_STATE, f"a {order.status} order can no longer be cancelled")
    p = tables.products.c
    for line in order.lines:
        if line.product_id is None:
            continue
        restored = await session.execute(
            update(tables.products)
            .where(p.id == line.product_id, p.deleted.is_(False))
            .values(stock=p.stock + line.quantity)
        )
        if restored.rowcount:  # type: ignore[attr-defined]
            await record_change(session, line.product_id)
    await _set_status(session, order_id, "CANCELLED")
    cancelled = await load_order(session, order_id)
    assert cancelled is not None
    return cancelled


async def advance_purchase_order(session: AsyncSession, order_id: int) -> PurchaseOrderRecord:
    """Move an order one status forward."""
    order = await load_order(session, order_id)
    if order is None:
        raise PadiError(NOT_FOUND, "purchase order not found")
    following = NEXT_STATUS.get(order.status)
    if following is None:
        raise PadiError(INVALID_STATE, f"a {order.status} order does not move on")
    await _set_status(session, order_id, following)
    advanced = await load_order(session, order_id)
    assert advanced is not None
    return advanced


async def advance_open_orders(session: AsyncSession) -> int:
    """Move every open order one step (the order clock's tick); returns how many moved."""
    po = tables.purchase_orders.c
    moved = 0
    now = now_iso()
    # Latest status first, so no order moves twice in one tick.
    for current in ("SHIPPED", "CONFIRMED", "CREATED"):
        result = await session.execute(
            update(tables.purchase_orders)
            .where(po.status == current)
            .values(status=NEXT_STATUS[current], updated_at=now)
        )
        moved += int(result.rowcount)  # type: ignore[attr-defined]
    return moved


async def _set_status(session: AsyncSession, order_id: int, status: str) -> None:
    await session.execute(
        update(tables.purchase_orders)
        .where(tables.purchase_orders.c.id == order_id)
        .values(status=status, updated_at=now_iso())
    )
