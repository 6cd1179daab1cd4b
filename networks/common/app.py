"""Assembling a network's starlette app: its routes plus health, admin faults and seeding."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio.to_thread
from sqlalchemy import MetaData
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ExceptionHandler

from networks.common.clock import month_key
from networks.common.db import Database, SeedFunction, prepare
from networks.common.faults import FaultInjector, FaultMiddleware, FaultUpdate
from networks.common.http import parse_body, require_admin
from networks.common.settings import NetworkSettings
from networks.common.stats import CountingMiddleware, RequestCounter

# What a network runs beside serving once its database is ready (clocks, streams).
Background = Callable[[Database], AbstractAsyncContextManager[None]]


async def _client_gone(_: Request, __: Exception) -> Response:
    # The client hung up (e.g. its deadline passed): normal, and nobody reads the answer.
    return Response(status_code=499)


def database(request: Request) -> Database:
    """The network's database, opened by its lifespan."""
    db: Database = request.app.state.db
    return db


def create_network_app(
    settings: NetworkSettings,
    *,
    routes: Sequence[BaseRoute],
    metadata: MetaData,
    schema_version: int,
    seed: SeedFunction,
    exception_handlers: Mapping[Any, ExceptionHandler],
    background: Background | None = None,
) -> Starlette:
    """A network app whose database is seeded on first start and whose faults are live."""
    faults = FaultInjector(settings.faults, seed=settings.seed)
    requests = RequestCounter()
    marker = (
        f"{settings.code}:v{schema_version}:seed={settings.seed}:products={settings.products}"
        # A new month re-seeds, so the seeded history always reaches the current month.
        f":month={month_key(settings.seeded_on)}"
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(
            prepare, settings.database, metadata, marker, seed, settings.reset
        )
        db = Database(settings.database)
        app.state.db = db
        try:
            if background is None:
                yield
            else:
                async with background(db):
                    yield
        finally:
            await db.dispose()

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "network": settings.code})

    async def get_faults(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        return JSONResponse(faults.as_dict())

    async def put_faults(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        faults.update(await parse_body(request, FaultUpdate))
        return JSONResponse(faults.as_dict())

    async def delete_faults(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        faults.reset()
        return JSONResponse(faults.as_dict())

    async def get_requests(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        return JSONResponse(requests.snapshot())

    async def delete_requests(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        requests.reset()
        return JSONResponse(requests.snapshot())

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/admin/faults", get_faults, methods=["GET"]),
            Route("/admin/faults", put_faults, methods=["PUT"]),
            Route("/admin/faults", delete_faults, methods=["DELETE"]),
            Route("/admin/requests", get_requests, methods=["GET"]),
            Route("/admin/requests", delete_requests, methods=["DELETE"]),
            *routes,
        ],
        middleware=[
            Middleware(CountingMiddleware, counter=requests),
            Middleware(FaultMiddleware, faults=faults),
        ],
        exception_handlers={ClientDisconnect: _client_gone, **exception_handlers},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.faults = faults
    return app
