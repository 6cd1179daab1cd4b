"""Admin endpoints (Bearer admin token): items, order status moves, transactions."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.errors import ApiError
from networks.common.http import parse_body, require_admin
from networks.tangerang.catalog import load_items
from networks.tangerang.ids import Kind, parse_id
from networks.tangerang.ledger import log_item_change, record_transaction
from networks.tangerang.orders import advance_order
from networks.tangerang.schemas import ItemUpsert, TransactionCreate
from networks.tangerang.tables import cooperatives, items, members, merchants
from networks.tangerang.views import item_view
from networks.tangerang.web import not_found, now_iso, path_id, reply, services


def _admin(request: Request) -> None:
    require_admin(request, services(request).settings.admin_token)


def _unknown(field: str, message: str) -> ApiError:
    return ApiError(422, f"unknown_{field}", message, [{"field": field, "problem": "not found"}])


async def put_item(request: Request) -> Response:
    """PUT /admin/items/{id}: create or replace an item (a deleted one comes back)."""
    _admin(request)
    raw = str(request.path_params["id"])
    number = parse_id(Kind.ITEM, raw)
    if number is None:
        raise ApiError(400, "invalid_item_id", "item ids look like itm_000001")
    body = await parse_body(request, ItemUpsert)
    merchant_number = parse_id(Kind.MERCHANT, body.merchant_id)
    async with database(request).write() as session:
        merchant = None
        if merchant_number is not None:
            merchant = (
                await session.execute(select(merchants).where(merchants.c.id == merchant_number))
            ).first()
        if merchant is None:
            raise _unknown("merchant_id", f"no merchant with id {body.merchant_id!r}")
        values = {
            "merchant_id": merchant.id,
            "name": body.name,
            "description": body.description,
            "category": body.category,
            "unit": body.unit,
            "price": body.price,
            "stock": body.stock,
            "min_order": body.min_order,
            "region_code": merchant.region_code,
            "deleted": False,
            "updated_at": now_iso(),
        }
        existing = (await session.execute(select(items.c.id).where(items.c.id == number))).first()
        if existing is None:
            await session.execute(
                insert(items).values(id=number, sku=f"{merchant.nib}-T{number:06d}", **values)
            )
        else:
            await session.execute(update(items).where(items.c.id == number).values(**values))
        await log_item_change(session, number, "upsert")
        row = (await load_items(session, [number]))[number]
    return reply(item_view(row), 201 if existing is None else 200)


async def delete_item(request: Request) -> Response:
    """DELETE /admin/items/{id}: tombstone the item; the change feed reports a delete."""
    _admin(request)
    number = path_id(request, Kind.ITEM, "item")
    async with database(request).write() as session:
        result = await session.execute(
            update(items)
            .where(items.c.id == number, items.c.deleted.is_(False))
            .values(deleted=True, updated_at=now_iso())
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise not_found("item", str(request.path_params["id"]))
        await log_item_change(session, number, "delete")
    return Response(status_code=204)


async def advance(request: Request) -> Response:
    """POST /admin/orders/{id}:advance: one status step forward."""
    _admin(request)
    number = path_id(request, Kind.ORDER, "order")
    async with (
        services(request).broadcaster.publishing() as outbox,
        database(request).write() as session,
    ):
        order = await advance_order(session, outbox, number)
    return reply(order)


async def create_transaction(request: Request) -> Response:
    """POST /admin/transactions: record a transaction at a cooperative."""
    _admin(request)
    body = await parse_body(request, TransactionCreate)
    coop_number = parse_id(Kind.COOPERATIVE, body.cooperative_id)
    member_number = None if body.member_id is None else parse_id(Kind.MEMBER, body.member_id)
    async with (
        services(request).broadcaster.publishing() as outbox,
        database(request).write() as session,
    ):
        coop = None
        if coop_number is not None:
            coop = (
                await session.execute(
                    select(cooperatives.c.id).where(cooperatives.c.id == coop_number)
                )
            ).first()
        if coop is None:
            raise _unknown("cooperative_id", f"no cooperative with id {body.cooperative_id!r}")
        if body.member_id is not None:
            member = None
            if member_number is not None:
                member = (
                    await session.execute(
                        select(members.c.id).where(
                            members.c.id == member_number, members.c.cooperative_id == coop_number
                        )
                    )
                ).first()
            if member is None:
                raise _unknown("member_id", "no such member in this cooperative")
        event = await record_transaction(
            session,
            outbox,
            type=body.type,
            amount=body.amount,
            description=body.description,
            cooperative_id=coop_number,
            member_id=member_number,
        )
    return reply(event.transaction, 201)


routes = [
    Route("/admin/items/{id}", put_item, methods=["PUT"]),
    Route("/admin/items/{id}", delete_item, methods=["DELETE"]),
    Route("/admin/orders/{id}:advance", advance, methods=["POST"]),
    Route("/admin/transactions", create_transaction, methods=["POST"]),
]
