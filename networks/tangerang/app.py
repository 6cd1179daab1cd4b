"""The Tangerang network's starlette app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from networks.common.app import create_network_app
from networks.common.clock import periodic
from networks.common.db import Database
from networks.tangerang import admin, catalog, directory, docs, members, orders, transactions
from networks.tangerang.auth import Authenticator
from networks.tangerang.broadcast import Broadcaster
from networks.tangerang.errors import exception_handlers
from networks.tangerang.paging import CursorCodec
from networks.tangerang.seed import make_seed
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.simulation import ShopSimulator
from networks.tangerang.tables import SCHEMA_VERSION, metadata
from networks.tangerang.web import Services


def create_app(settings: TangerangSettings | None = None) -> Starlette:
    """The Tangerang network app for ``settings`` (development defaults when omitted)."""
    settings = settings or TangerangSettings()
    broadcaster = Broadcaster(settings.stream_queue_size)
    svc = Services(
        settings=settings,
        authenticator=Authenticator(
            settings.hmac_clients, settings.replay_window_seconds, settings.replay_cache_size
        ),
        cursors=CursorCodec(f"tangerang-cursor:{settings.seed}:{settings.admin_token}"),
        broadcaster=broadcaster,
    )

    @asynccontextmanager
    async def background(db: Database) -> AsyncIterator[None]:
        shop = ShopSimulator(db, broadcaster, settings.seed)

        async def advance_orders() -> None:
            await orders.advance_open_orders(db, broadcaster)

        async with (
            periodic(settings.order_clock, advance_orders),
            periodic(settings.transaction_clock, shop.tick),
        ):
            yield

    app = create_network_app(
        settings,
        routes=[
            *docs.routes,
            *directory.routes,
            *members.routes,
            *catalog.routes,
            *orders.routes,
            *transactions.routes,
            *admin.routes,
        ],
        metadata=metadata,
        schema_version=SCHEMA_VERSION,
        seed=make_seed(settings),
        exception_handlers=exception_handlers,
        background=background,
    )
    app.state.tangerang = svc
    return app
