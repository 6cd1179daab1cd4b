"""Products: list, search, batch and get; deleted products are gone from all of them."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.sejuk.auth import partner
from networks.sejuk.endpoints import paged_query, path_id, reply
from networks.sejuk.errors import galat
from networks.sejuk.filters import region_match, text_match
from networks.sejuk.paging import envelope, fetch_page
from networks.sejuk.schemas import ProdukQuery
from networks.sejuk.tables import produk
from networks.sejuk.views import dump, produk_view


async def list_produk(request: Request) -> Response:
    """``GET /api/v1/produk``: search by ``q`` and the catalogue filters; batch by ``id``."""
    partner(request)
    query = paged_query(request, ProdukQuery)
    statement = select(produk).where(produk.c.dihapus.is_(False)).order_by(produk.c.id)
    if (ids := query.ids()) is not None:
        statement = statement.where(produk.c.id.in_(ids))
    if query.q:
        statement = statement.where(
            text_match(query.q, produk.c.nama, produk.c.deskripsi, produk.c.kode)
        )
    if query.kategori:
        statement = statement.where(produk.c.kategori == query.kategori)
    if query.pemasok_id is not None:
        statement = statement.where(produk.c.pemasok_id == query.pemasok_id)
    if query.wilayah:
        statement = statement.where(region_match(query.wilayah, produk.c.kode_wilayah))
    if query.harga_min is not None:
        statement = statement.where(produk.c.harga >= query.harga_min)
    if query.harga_maks is not None:
        statement = statement.where(produk.c.harga <= query.harga_maks)
    if query.ada_stok is not None:
        statement = statement.where((produk.c.stok > 0) == query.ada_stok)
    async with database(request).read() as session:
        rows, total = await fetch_page(session, statement, query)
    return reply(envelope([dump(produk_view(r._mapping)) for r in rows], query, total))


async def get_produk(request: Request) -> Response:
    """``GET /api/v1/produk/{id}``."""
    partner(request)
    produk_id = path_id(request, "produk")
    async with database(request).read() as session:
        row = (
            await session.execute(
                select(produk).where(produk.c.id == produk_id, produk.c.dihapus.is_(False))
            )
        ).first()
    if row is None:
        raise galat(404, "TIDAK_DITEMUKAN", f"produk {produk_id} tidak ditemukan")
    return reply(dump(produk_view(row._mapping)))


routes = [
    Route("/api/v1/produk", list_produk, methods=["GET"]),
    Route("/api/v1/produk/{id}", get_produk, methods=["GET"]),
]
