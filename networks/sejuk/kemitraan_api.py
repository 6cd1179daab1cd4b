"""Partnerships (JUK MoUs) between cooperatives and large suppliers."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.sejuk.auth import partner
from networks.sejuk.endpoints import paged_query, reply
from networks.sejuk.paging import envelope, fetch_page
from networks.sejuk.schemas import KemitraanQuery
from networks.sejuk.tables import kemitraan
from networks.sejuk.views import dump, kemitraan_view


async def list_kemitraan(request: Request) -> Response:
    """``GET /api/v1/kemitraan?koperasi_id=&pemasok_id=``; each may list several ids."""
    partner(request)
    query = paged_query(request, KemitraanQuery)
    statement = select(kemitraan).order_by(kemitraan.c.id)
    if (koperasi_ids := query.koperasi_ids()) is not None:
        statement = statement.where(kemitraan.c.koperasi_id.in_(koperasi_ids))
    if (pemasok_ids := query.pemasok_ids()) is not None:
        statement = statement.where(kemitraan.c.pemasok_id.in_(pemasok_ids))
    async with database(request).read() as session:
        rows, total = await fetch_page(session, statement, query)
    return reply(envelope([dump(kemitraan_view(r._mapping)) for r in rows], query, total))


routes = [Route("/api/v1/kemitraan", list_kemitraan, methods=["GET"])]
