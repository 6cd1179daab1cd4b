"""Cooperatives and merchants (UMKM suppliers): list with filters, get, batch get."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Table, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.http import parse_body, parse_query
from networks.tangerang.ids import Kind, parse_id
from networks.tangerang.paging import check_limit
from networks.tangerang.schemas import (
    BatchGetRequest,
    CooperativeBatch,
    CooperativePage,
    CooperativeQuery,
    MerchantBatch,
    MerchantPage,
    MerchantQuery,
    NibLookupRequest,
)
from networks.tangerang.tables import cooperatives, merchants
from networks.tangerang.views import cooperative_view, merchant_view
from networks.tangerang.web import (
    authenticate,
    batch_ids,
    like_pattern,
    not_found,
    path_id,
    region_matches,
    reply,
    services,
)

View = TypeVar("View", bound=BaseModel)


async def fetch_page(
    request: Request,
    table: Table,
    scope: str,
    conditions: Sequence[ColumnElement[bool]],
    limit: int,
    cursor: str | None,
    view: Callable[[Any], View],
) -> tuple[list[View], str | None]:
    """One keyset page of ``table`` (ordered by id) and the cursor to the next one."""
    svc = services(request)
    check_limit(limit, svc.settings.max_page_size)
    after = svc.cursors.decode(scope, cursor)
    stmt = (
        select(table).where(table.c.id > after, *conditions).order_by(table.c.id).limit(limit + 1)
    )
    async with database(request).read() as session:
        rows = (await session.execute(stmt)).all()
    next_cursor = svc.cursors.encode(scope, rows[limit - 1].id) if len(rows) > limit else None
    return [view(row) for row in rows[:limit]], next_cursor


async def fetch_batch(
    request: Request, table: Table, kind: Kind, view: Callable[[Any], View]
) -> tuple[list[View], list[str]]:
    """The rows behind the body's ``ids`` in the order asked, and the ids not found."""
    body = await parse_body(request, BatchGetRequest)
    batch_ids(body.ids, services(request).settings.max_page_size)
    wanted = list(dict.fromkeys(body.ids))
    numbers = {raw: parse_id(kind, raw) for raw in wanted}
    valid = [n for n in numbers.values() if n is not None]
    async with database(request).read() as session:
        rows = (await session.execute(select(table).where(table.c.id.in_(valid)))).all()
    by_number = {row.id: row for row in rows}
    found = [view(by_number[n]) for n in numbers.values() if n is not None and n in by_number]
    missing = [raw for raw, n in numbers.items() if n is None or n not in by_number]
    return found, missing


async def fetch_one(request: Request, table: Table, kind: Kind, name: str) -> Any:
    number = path_id(request, kind, name)
    async with database(request).read() as session:
        row = (await session.execute(select(table).where(table.c.id == number))).first()
    if row is None:
        raise not_found(name, str(request.path_params["id"]))
    return row


async def list_cooperatives(request: Request) -> Response:
    """GET /v2/cooperatives"""
    await authenticate(request)
    query = parse_query(request, CooperativeQuery)
    conditions: list[ColumnElement[bool]] = []
    if query.type is not None:
        conditions.append(cooperatives.c.type == query.type)
    if query.region_code is not None:
        conditions.append(region_matches(cooperatives.c.region_code, query.region_code))
    if query.q is not None:
        conditions.append(cooperatives.c.name.like(like_pattern(query.q), escape="\\"))
    found, cursor = await fetch_page(
        request,
        cooperatives,
        "cooperatives",
        conditions,
        query.limit,
        query.cursor,
        cooperative_view,
    )
    return reply(CooperativePage(items=found, next_cursor=cursor))


async def get_cooperative(request: Request) -> Response:
    """GET /v2/cooperatives/{id}"""
    await authenticate(request)
    row = await fetch_one(request, cooperatives, Kind.COOPERATIVE, "cooperative")
    return reply(cooperative_view(row))


async def batch_get_cooperatives(request: Request) -> Response:
    """POST /v2/cooperatives:batchGet"""
    await authenticate(request)
    found, missing = await fetch_batch(request, cooperatives, Kind.COOPERATIVE, cooperative_view)
    return reply(CooperativeBatch(items=found, not_found=missing))


async def list_merchants(request: Request) -> Response:
    """GET /v2/merchants"""
    await authenticate(request)
    query = parse_query(request, MerchantQuery)
    conditions: list[ColumnElement[bool]] = []
    if query.region_code is not None:
        conditions.append(region_matches(merchants.c.region_code, query.region_code))
    if query.kbli is not None:
        conditions.append(merchants.c.kbli_set.like(f"%,{query.kbli},%"))
    if query.scale is not None:
        conditions.append(merchants.c.scale == query.scale)
    if query.certification is not None:
        conditions.append(merchants.c.certification_set.like(f"%,{query.certification},%"))
    if query.q is not None:
        conditions.append(merchants.c.name.like(like_pattern(query.q), escape="\\"))
    found, cursor = await fetch_page(
        request, merchants, "merchants", conditions, query.limit, query.cursor, merchant_view
    )
    return reply(MerchantPage(items=found, next_cursor=cursor))


async def get_merchant(request: Request) -> Response:
    """GET /v2/merchants/{id}"""
    await authenticate(request)
    row = await fetch_one(request, merchants, Kind.MERCHANT, "merchant")
    return reply(merchant_view(row))


async def batch_get_merchants(request: Request) -> Response:
    """POST /v2/merchants:batchGet"""
    await authenticate(request)
    found, missing = await fetch_batch(request, merchants, Kind.MERCHANT, merchant_view)
    return reply(MerchantBatch(items=found, not_found=missing))


async def batch_get_merchants_by_nib(request: Request) -> Response:
    """POST /v2/merchants:batchGetByNib: merchants by their NIB, in the order asked."""
    await authenticate(request)
    body = await parse_body(request, NibLookupRequest)
    batch_ids(body.nibs, services(request).settings.max_page_size, "nibs")
    wanted = list(dict.fromkeys(body.nibs))
    async with database(request).read() as session:
        rows = (await session.execute(select(merchants).where(merchants.c.nib.in_(wanted)))).all()
    by_nib = {row.nib: row for row in rows}
    return reply(
        MerchantBatch(
            items=[merchant_view(by_nib[nib]) for nib in wanted if nib in by_nib],
            not_found=[nib for nib in wanted if nib not in by_nib],
        )
    )


routes = [
    Route("/v2/cooperatives", list_cooperatives, methods=["GET"]),
    Route("/v2/cooperatives:batchGet", batch_get_cooperatives, methods=["POST"]),
    Route("/v2/cooperatives/{id}", get_cooperative, methods=["GET"]),
    Route("/v2/merchants", list_merchants, methods=["GET"]),
    Route("/v2/merchants:batchGet", batch_get_merchants, methods=["POST"]),
    Route("/v2/merchants:batchGetByNib", batch_get_merchants_by_nib, methods=["POST"]),
    Route("/v2/merchants/{id}", get_merchant, methods=["GET"]),
]
