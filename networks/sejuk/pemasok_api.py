"""UMKM and large suppliers: list, search, batch and get."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.sejuk.auth import partner
from networks.sejuk.endpoints import paged_query, path_id, reply
from networks.sejuk.errors import galat
from networks.sejuk.filters import contains_token, region_match, text_match
from networks.sejuk.paging import envelope, fetch_page
from networks.sejuk.schemas import PemasokQuery
from networks.sejuk.tables import kemitraan, pemasok
from networks.sejuk.views import dump, pemasok_view


async def list_pemasok(request: Request) -> Response:
    """``GET /api/v1/pemasok``: search by ``q`` and the filters; batch by ``id`` or ``nib``."""
    partner(request)
    query = paged_query(request, PemasokQuery)
    statement = select(pemasok).order_by(pemasok.c.id)
    if (ids := query.ids()) is not None:
        statement = statement.where(pemasok.c.id.in_(ids))
    if (nibs := query.nibs()) is not None:
        statement = statement.where(pemasok.c.nib.in_(nibs))
    if query.q:
        statement = statement.where(
            text_match(query.q, pemasok.c.nama, pemasok.c.nib, pemasok.c.alamat)
        )
    if query.wilayah:
        statement = statement.where(region_match(query.wilayah, pemasok.c.kode_wilayah))
    if query.kbli:
        statement = statement.where(contains_token(query.kbli, pemasok.c.kbli_cari))
    if query.skala:
        statement = statement.where(pemasok.c.skala_usaha == query.skala)
    if query.sertifikasi:
        statement = statement.where(contains_token(query.sertifikasi, pemasok.c.sertifikasi_cari))
    async with database(request).read() as session:
        rows, total = await fetch_page(session, statement, query)
        mitra = await partners(session, [r.id for r in rows])
    views = [dump(pemasok_view(r._mapping, mitra[r.id])) for r in rows]
    return reply(envelope(views, query, total))


async def get_pemasok(request: Request) -> Response:
    """``GET /api/v1/pemasok/{id}``."""
    partner(request)
    pemasok_id = path_id(request, "pemasok")
    async with database(request).read() as session:
        row = (await session.execute(select(pemasok).where(pemasok.c.id == pemasok_id))).first()
        mitra = await partners(session, [pemasok_id])
    if row is None:
        raise galat(404, "TIDAK_DITEMUKAN", f"pemasok {pemasok_id} tidak ditemukan")
    return reply(dump(pemasok_view(row._mapping, mitra[pemasok_id])))


async def partners(session: AsyncSession, pemasok_ids: Sequence[int]) -> dict[int, list[int]]:
    """The partner cooperatives (JUK MoUs) of each supplier, in one query."""
    found: defaultdict[int, list[int]] = defaultdict(list)
    if pemasok_ids:
        statement = (
            select(kemitraan.c.pemasok_id, kemitraan.c.koperasi_id)
            .where(kemitraan.c.pemasok_id.in_(pemasok_ids))
            .order_by(kemitraan.c.koperasi_id)
        )
        for pemasok_id, koperasi_id in await session.execute(statement):
            found[pemasok_id].append(koperasi_id)
    return found


routes = [
    Route("/api/v1/pemasok", list_pemasok, methods=["GET"]),
    Route("/api/v1/pemasok/{id}", get_pemasok, methods=["GET"]),
]
