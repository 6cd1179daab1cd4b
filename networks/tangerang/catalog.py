"""Catalog items: search with filters, get, batch get, and the change feed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.http import parse_body, parse_query
from networks.tangerang.ids import Kind, format_id, parse_id
from networks.tangerang.paging import check_limit
from networks.tangerang.schemas import (
    BatchGetRequest,
    Change,
    ChangePage,
    ChangesQuery,
    ItemBatch,
    ItemPage,
    ItemQuery,
)
from networks.tangerang.tables import item_changes, items, merchants
from networks.tangerang.views import item_view
from networks.tangerang.web import (
    authenticate,
    batch_ids,
    filter_id,
    like_pattern,
    not_found,
    path_id,
    region_matches,
    reply,
    services,
)


def item_select() -> Select[Any]:
    """Items joined with their merchant's name, as ``item_view`` expects."""
    return select(items, merchants.c.name.label("merchant_name")).join(
        merchants, merchants.c.id == items.c.merchant_id
    )


async def load_items(
    session: AsyncSession, numbers: Iterable[int], include_deleted: bool = False
) -> dict[int, Any]:
    """Item rows by row number; deleted ones only when asked."""
    stmt = item_select().where(items.c.id.in_(list(numbers)))
    if not include_deleted:
        stmt = stmt.where(items.c.deleted.is_(False))
    return {row.id: row for row in (await session.execute(stmt)).all()}


def _conditions(query: ItemQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [items.c.deleted.is_(False)]
    if query.q is not None:
        conditions.append(items.c.name.like(like_pattern(query.q), escape="\\"))
    if query.category is not None:
        conditions.append(items.c.category == query.category)
    if query.merchant_id is not None:
        number = filter_id(Kind.MERCHANT, "merchant_id", query.merchant_id)
        conditions.append(items.c.merchant_id == number)
    if query.region_code is not None:
        conditions.append(region_matches(items.c.region_code, query.region_code))
    if query.min_price is not None:
        conditions.append(items.c.price >= query.min_price)
    if query.max_price is not None:
        conditions.append(items.c.price <= query.max_price)
    if query.in_stock is True:
        conditions.append(or_(items.c.stock.is_(None), items.c.stock > 0))
    elif query.in_stock is False:
        conditions.append(items.c.stock == 0)
    return conditions


async def list_items(request: Request) -> Response:
    """GET /v2/catalog/items"""
    await authenticate(request)
    query = parse_query(request, ItemQuery)
    svc = services(request)
    check_limit(query.limit, svc.settings.max_page_size)
    after = svc.cursors.decode("items", query.cursor)
    stmt = (
        item_select()
        .where(items.c.id > after, *_conditions(query))
        .order_by(items.c.id)
        .limit(query.limit + 1)
    )
    async with database(request).read() as session:
        rows = (await session.execute(stmt)).all()
    cursor = None
    if len(rows) > query.limit:
        cursor = svc.cursors.encode("items", rows[query.limit - 1].id)
    return reply(ItemPage(items=[item_view(r) for r in rows[: query.limit]], next_cursor=cursor))


async def get_item(request: Request) -> Response:
    """GET /v2/catalog/items/{id}"""
    await authenticate(request)
    number = path_id(request, Kind.ITEM, "item")
    async with database(request).read() as session:
        found = await load_items(session, [number])
    if number not in found:
        raise not_found("item", str(request.path_params["id"]))
    return reply(item_view(found[number]))


async def batch_get_items(request: Request) -> Response:
    """POST /v2/catalog/items:batchGet"""
    await authenticate(request)
    body = await parse_body(request, BatchGetRequest)
    batch_ids(body.ids, services(request).settings.max_page_size)
    wanted = {raw: parse_id(Kind.ITEM, raw) for raw in dict.fromkeys(body.ids)}
    async with database(request).read() as session:
        found = await load_items(session, [n for n in wanted.values() if n is not None])
    return reply(
        ItemBatch(
            items=[item_view(found[n]) for n in wanted.values() if n is not None and n in found],
            not_found=[raw for raw, n in wanted.items() if n is None or n not in found],
        )
    )


async def list_changes(request: Request) -> Response:
    """GET /v2/catalog/changes: the append-only item change log after the cursor."""
    await authenticate(request)
    query = parse_query(request, ChangesQuery)
    svc = services(request)
    check_limit(query.limit, svc.settings.max_page_size)
    after = svc.cursors.decode("changes", query.cursor)
    stmt = (
        select(item_changes)
        .where(item_changes.c.version > after)
        .order_by(item_changes.c.version)
        .limit(query.limit + 1)
    )
    async with database(request).read() as session:
        rows = (await session.execute(stmt)).all()
        page = rows[: query.limit]
        upserted = {row.item_id for row in page if row.type == "upsert"}
        current = await load_items(session, upserted, include_deleted=True)
    changes = [
        Change(
            version=row.version,
            item_id=format_id(Kind.ITEM, row.item_id),
            type=row.type,
            item=item_view(current[row.item_id]) if row.type == "upsert" else None,
        )
        for row in page
    ]
    last = page[-1].version if page else after
    return reply(
        ChangePage(
            changes=changes,
            next_cursor=svc.cursors.encode("changes", last),
            has_more=len(rows) > query.limit,
        )
    )


routes = [
    Route("/v2/catalog/items", list_items, methods=["GET"]),
    Route("/v2/catalog/items:batchGet", batch_get_items, methods=["POST"]),
    Route("/v2/catalog/items/{id}", get_item, methods=["GET"]),
    Route("/v2/catalog/changes", list_changes, methods=["GET"]),
]
