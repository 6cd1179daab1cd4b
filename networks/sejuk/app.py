"""Assemble SEJUK: its routes on the shared network app (health, faults, seeding, clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from networks.common.app import create_network_app
from networks.common.clock import periodic
from networks.common.db import Database
from networks.sejuk import (
    admin_api,
    docs,
    kemitraan_api,
    koperasi_api,
    ordering,
    pemasok_api,
    perubahan_api,
    pesanan_api,
    produk_api,
)
from networks.sejuk.errors import EXCEPTION_HANDLERS
from networks.sejuk.seed import seeder
from networks.sejuk.settings import SejukSettings
from networks.sejuk.tables import SCHEMA_VERSION, metadata


def create_app(settings: SejukSettings | None = None) -> Starlette:
    """The SEJUK server for ``settings`` (defaults: port 8101, key ``sejuk-dev-key``)."""
    settings = settings or SejukSettings()

    @asynccontextmanager
    async def order_clock(db: Database) -> AsyncIterator[None]:
        async def tick() -> None:
            await ordering.advance_all(db)

        async with periodic(settings.order_clock, tick):
            yield

    return create_network_app(
        settings,
        routes=[
            *koperasi_api.routes,
            *pemasok_api.routes,
            *produk_api.routes,
            *kemitraan_api.routes,
            *perubahan_api.routes,
            *pesanan_api.routes,
            *admin_api.routes,
            *docs.routes(),
        ],
        metadata=metadata,
        schema_version=SCHEMA_VERSION,
        seed=seeder(settings),
        exception_handlers=EXCEPTION_HANDLERS,
        background=order_clock,
    )
