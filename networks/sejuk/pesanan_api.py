"""Partner orders: place, look up (by id or by ``referensi_klien``), cancel."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.http import parse_body
from networks.sejuk import ordering
from networks.sejuk.auth import partner
from networks.sejuk.endpoints import paged_query, path_id, reply
from networks.sejuk.order_schemas import PesananMasuk, PesananQuery
from networks.sejuk.paging import envelope, fetch_page
from networks.sejuk.tables import pesanan
from networks.sejuk.views import dump


async def create_pesanan(request: Request) -> Response:
    """``POST /api/v1/pesanan``: 201 with the priced order, 409 REFERENSI_GANDA on reuse."""
    mitra = partner(request)
    body = await parse_body(request, PesananMasuk)
    order = await ordering.create(database(request), mitra, body)
    return reply(dump(order), status=201)


async def list_pesanan(request: Request) -> Response:
    """``GET /api/v1/pesanan?referensi_klien=&status=``: the partner's own orders."""
    mitra = partner(request)
    query = paged_query(request, PesananQuery)
    statement = select(pesanan).where(pesanan.c.mitra == mitra).order_by(pesanan.c.id)
    if query.referensi_klien is not None:
        statement = statement.where(pesanan.c.referensi_klien == query.referensi_klien)
    if query.status is not None:
        statement = statement.where(pesanan.c.status == query.status)
    async with database(request).read() as session:
        rows, total = await fetch_page(session, statement, query)
        orders = [dump(await ordering.view_of(session, r._mapping)) for r in rows]
    return reply(envelope(orders, query, total))


async def get_pesanan(request: Request) -> Response:
    """``GET /api/v1/pesanan/{id}``."""
    mitra = partner(request)
    pesanan_id = path_id(request, "pesanan")
    async with database(request).read() as session:
        order = await ordering.load(session, mitra, pesanan_id)
    return reply(dump(order))


async def cancel_pesanan(request: Request) -> Response:
    """``POST /api/v1/pesanan/{id}/batal``: allowed until the order has shipped."""
    mitra = partner(request)
    pesanan_id = path_id(request, "pesanan")
    order = await ordering.cancel(database(request), mitra, pesanan_id)
    return reply(dump(order))


routes = [
    Route("/api/v1/pesanan", create_pesanan, methods=["POST"]),
    Route("/api/v1/pesanan", list_pesanan, methods=["GET"]),
    Route("/api/v1/pesanan/{id}", get_pesanan, methods=["GET"]),
    Route("/api/v1/pesanan/{id}/batal", cancel_pesanan, methods=["POST"]),
]
