"""The product change feed: every change after ``sejak``, in a window fixed by ``sampai``."""

from __future__ import annotations

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.sejuk.auth import partner
from networks.sejuk.endpoints import paged_query, reply
from networks.sejuk.paging import envelope, fetch_page
from networks.sejuk.schemas import PerubahanQuery
from networks.sejuk.tables import perubahan_produk
from networks.sejuk.views import dump, perubahan_view


async def list_perubahan(request: Request) -> Response:
    """``GET /api/v1/perubahan/produk?sejak=&sampai=&halaman=&per_halaman=``.

    Without ``sampai`` the window ends at the newest version now; the reply names it as
    ``versi_sampai`` so later pages of the same walk see the very same entries.
    """
    partner(request)
    query = paged_query(request, PerubahanQuery)
    log = perubahan_produk
    async with database(request).read() as session:
        newest = int(await session.scalar(select(func.coalesce(func.max(log.c.versi), 0))) or 0)
        until = newest if query.sampai is None else min(query.sampai, newest)
        statement = (
            select(log).where(log.c.versi > query.sejak, log.c.versi <= until).order_by(log.c.versi)
        )
        rows, total = await fetch_page(session, statement, query)
    page = envelope([dump(perubahan_view(r._mapping)) for r in rows], query, total)
    page["versi_sampai"] = max(until, query.sejak)
    return reply(page)


routes = [Route("/api/v1/perubahan/produk", list_perubahan, methods=["GET"])]
