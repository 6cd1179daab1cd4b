"""The hub's ASGI application: ``create_app(settings)``.

The lifespan builds one connector per configured network and the ``Federation`` over
them, and closes them on shutdown. Routes: ``/graphql`` (``hub.http``), ``/healthz`` and
``/readyz`` (``hub.health``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import anyio.to_thread
import httpx
import strawberry
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from connectors.base import Connector
from connectors.registry import build_connector
from federation.hub import Federation, FederationLimits
from federation.orders.database import connect
from federation.orders.service import OrderService
from federation.orders.store import OrderStore
from federation.orders.worker import running
from hub.database import upgrade
from hub.health import healthz, readyz
from hub.http import GraphQLEndpoint
from hub.settings import Settings
from hub.websocket import SubscriptionEndpoint


def create_app(
    settings: Settings,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    schema: strawberry.Schema | None = None,
) -> Starlette:
    """The hub app for ``settings``.

    For tests: ``transports`` (network code to httpx transport) reroutes a network's
    calls, ``schema`` replaces the public schema.
    """
    transports = transports or {}
    if schema is None:
        from schema import build_schema  # the public graph; tests may serve their own

        schema = build_schema()
    endpoint = GraphQLEndpoint(
        schema,
        max_body_bytes=settings.max_body_bytes,
        graphiql=settings.graphiql_enabled,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        limits = FederationLimits(deadline=settings.deadline, max_page_size=settings.max_page_size)
        connectors: list[Connector] = []
        try:
            for config in settings.connector_configs():
                connectors.append(build_connector(config, transport=transports.get(config.code)))
        except BaseException:
            await Federation(connectors).aclose()  # the ones already built
            raise
        federation = Federation(connectors, limits)
        if settings.migrate_on_start:
            await anyio.to_thread.run_sync(upgrade, settings.database_url)
        engine = connect(settings.database_url)
        orders = OrderService(OrderStore(engine), federation)
        app.state.federation = federation
        app.state.orders = orders
        try:
            async with running(orders.worker):
                yield
        finally:
            await federation.aclose()
            await engine.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", endpoint),
            WebSocketRoute("/graphql", SubscriptionEndpoint(schema)),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app
