"""Admin endpoints (Bearer admin token): product upsert/delete and order advance."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.http import parse_body, require_admin
from networks.sejuk import ordering
from networks.sejuk.admin_schemas import ProdukMasuk
from networks.sejuk.auth import settings_of
from networks.sejuk.changelog import record_changes, record_deletion
from networks.sejuk.endpoints import path_id, reply
from networks.sejuk.errors import galat
from networks.sejuk.tables import pemasok, produk
from networks.sejuk.views import dump, produk_view
from networks.sejuk.waktu import now


async def put_produk(request: Request) -> Response:
    """``PUT /admin/produk/{id}``: create (201) or replace (200) a product; revives a deleted one."""
    require_admin(request, settings_of(request).admin_token)
    produk_id = path_id(request, "produk")
    body = await parse_body(request, ProdukMasuk)
    async with database(request).write() as session:
        region = await session.scalar(
            select(pemasok.c.kode_wilayah).where(pemasok.c.id == body.pemasok_id)
        )
        if region is None:
            raise galat(
                422,
                "PEMASOK_TIDAK_DITEMUKAN",
                f"pemasok {body.pemasok_id} tidak ditemukan",
                [{"kolom": "pemasok_id", "masalah": "tidak ada"}],
            )
        values = {
            **body.model_dump(exclude={"kode", "harga_grosir"}),
            "kode": body.kode or f"SEJUK-{produk_id}",
            "harga_grosir": [t.model_dump() for t in body.harga_grosir],
            "kode_wilayah": region,
            "diperbarui_pada": now(),
            "dihapus": False,
        }
        exists = await session.scalar(select(produk.c.id).where(produk.c.id == produk_id))
        if exists is None:
            await session.execute(insert(produk).values(id=produk_id, **values))
        else:
            await session.execute(update(produk).where(produk.c.id == produk_id).values(**values))
        await record_changes(session, [produk_id])
        row = (await session.execute(select(produk).where(produk.c.id == produk_id))).one()
    return reply(dump(produk_view(row._mapping)), status=201 if exists is None else 200)


async def delete_produk(request: Request) -> Response:
    """``DELETE /admin/produk/{id}``: soft delete; the feed reports it as ``hapus``."""
    require_admin(request, settings_of(request).admin_token)
    produk_id = path_id(request, "produk")
    async with database(request).write() as session:
        result = await session.execute(
            update(produk)
            .where(produk.c.id == produk_id, produk.c.dihapus.is_(False))
            .values(dihapus=True, diperbarui_pada=now())
        )
        if not getattr(result, "rowcount", 0):
            raise galat(404, "TIDAK_DITEMUKAN", f"produk {produk_id} tidak ditemukan")
        await record_deletion(session, produk_id)
    return Response(status_code=204)


async def advance_pesanan(request: Request) -> Response:
    """``POST /admin/pesanan/{id}/maju``: one status step forward."""
    require_admin(request, settings_of(request).admin_token)
    pesanan_id = path_id(request, "pesanan")
    order = await ordering.advance(database(request), pesanan_id)
    return reply(dump(order))


routes = [
    Route("/admin/produk/{id}", put_produk, methods=["PUT"]),
    Route("/admin/produk/{id}", delete_produk, methods=["DELETE"]),
    Route("/admin/pesanan/{id}/maju", advance_pesanan, methods=["POST"]),
]
