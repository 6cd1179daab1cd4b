"""Cooperatives: list, search, batch and get (with their partnerships)."""

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
from networks.sejuk.schemas import KoperasiQuery, KoperasiRinci
from networks.sejuk.tables import kemitraan, koperasi
from networks.sejuk.views import dump, kemitraan_view, koperasi_view


async def list_koperasi(request: Request) -> Response:
    """``GET /api/v1/koperasi``: search by ``q``, ``jenis``, ``wilayah``; batch by ``id``."""
    partner(request)
    query = paged_query(request, KoperasiQuery)
    statement = select(koperasi).order_by(koperasi.c.id)
    if (ids := query.ids()) is not None:
        statement = statement.where(koperasi.c.id.in_(ids))
    if query.q:
        statement = statement.where(text_match(query.q, koperasi.c.nama, koperasi.c.alamat))
    if query.jenis:
        statement = statement.where(koperasi.c.jenis == query.jenis)
    if query.wilayah:
        statement = statement.where(region_match(query.wilayah, koperasi.c.kode_wilayah))
    async with database(request).read() as session:
        rows, total = await fetch_page(session, statement, query)
    return reply(envelope([dump(koperasi_view(r._mapping)) for r in rows], query, total))


async def get_koperasi(request: Request) -> Response:
    """``GET /api/v1/koperasi/{id}``: one cooperative and its partnerships."""
    partner(request)
    koperasi_id = path_id(request, "koperasi")
    async with database(request).read() as session:
        row = (await session.execute(select(koperasi).where(koperasi.c.id == koperasi_id))).first()
        if row is None:
            raise galat(404, "TIDAK_DITEMUKAN", f"koperasi {koperasi_id} tidak ditemukan")
        partnerships = (
            await session.execute(
                select(kemitraan)
                .where(kemitraan.c.koperasi_id == koperasi_id)
                .order_by(kemitraan.c.id)
            )
        ).all()
    detail = KoperasiRinci(
        **koperasi_view(row._mapping).model_dump(),
        kemitraan=[kemitraan_view(p._mapping) for p in partnerships],
    )
    return reply(dump(detail))


routes = [
    Route("/api/v1/koperasi", list_koperasi, methods=["GET"]),
    Route("/api/v1/koperasi/{id}", get_koperasi, methods=["GET"]),
]
