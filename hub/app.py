"""The hub's ASGI application: ``create_app(settings)``.

The lifespan builds one connector per configured network and the ``Federation`` over
them, and closes them on shutdown, the auth service (``hub.auth``: signing keys, OAuth
clients, token validation) and the request pipeline every GraphQL operation passes
(``hub.pipeline``), sharing rate limits and persisted queries through Redis when
``settings.redis_url`` is set. Routes: ``/graphql`` over HTTP (``hub.http``) and
WebSocket (``hub.websocket``), both only framing the pipeline's work, ``/healthz`` and
``/readyz`` (``hub.health``), ``/oauth/token``, ``/.well-known/jwks.json`` and
``/.well-known/oauth-authorization-server`` (``hub.auth.endpoints``).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import replace
from pathlib import Path

import anyio.to_thread
import httpx
import strawberry
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute
from strawberry.extensions import SchemaExtension

from connectors.base import Connector
from connectors.registry import build_connector
from federation.groupbuy.service import GroupBuyService
from federation.groupbuy.store import GroupBuyStore
from federation.groupbuy.worker import running as running_closer
from federation.hub import Federation, FederationLimits
from federation.index import ProgressCallback
from federation.index.catalog import CatalogIndex
from federation.orders.database import connect
from federation.orders.service import OrderService
from federation.orders.store import OrderStore
from federation.orders.worker import running as running_orders
from federation.procurement.service import ProcurementService
from federation.procurement.store import ProcurementStore
from hub import graphiql, ocds
from hub.audit.extension import AuditMutations
from hub.audit.log import AuditLog
from hub.auth import endpoints as auth_endpoints
from hub.auth.service import AuthService
from hub.dashboard import page as dashboard
from hub.database import upgrade
from hub.documents import DocumentBounds, Documents
from hub.health import healthz, readyz
from hub.http import GraphQLEndpoint
from hub.limits import QueryLimits
from hub.persisted import PersistedQueries, load_safelist
from hub.pipeline import Pipeline
from hub.ratelimit import RateLimiter
from hub.settings import Settings
from hub.shared import SharedRedis
from hub.websocket import WebSocketEndpoint
from resolvers.context import Services

logger = logging.getLogger("hub.serve")

# What a test gives ``create_app`` instead of the public schema: a builder that must run
# the hub's extensions (the audit log, bounded parsing and the query limits).
SchemaBuilder = Callable[
    [Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]]], strawberry.Schema
]


def create_app(
    settings: Settings,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    schema: SchemaBuilder | None = None,
    auth_transport: httpx.AsyncBaseTransport | None = None,
    sync_progress: ProgressCallback | None = None,
) -> Starlette:
    """The hub app for ``settings``; ``sync_progress`` draws the catalog index's first load
    (``hub serve`` and ``hub demo`` pass terminal progress bars).

    For tests: ``transports`` (network code to httpx transport) reroutes a network's
    calls, ``schema`` builds a schema to serve instead of the public one (given the hub's
    extensions, which it must run), ``auth_transport`` carries the external token
    issuer's JWKS requests.
    """
    transports = transports or {}
    documents = hub_documents(settings)
    extensions = [AuditMutations, documents.extension()]
    if schema is None:
        from schema import build_schema  # the public graph; tests may serve their own

        served = build_schema(introspection=settings.introspection_enabled, extensions=extensions)
    else:
        served = schema(extensions)
    redis = (
        SharedRedis(settings.redis_url, settings.redis_prefix)
        if settings.redis_url is not None
        else None
    )
    persisted = PersistedQueries(
        automatic=settings.persisted_queries,
        safelist=load_safelist(Path(settings.safelist)) if settings.safelist else None,
        max_entries=settings.persisted_queries_max,
        max_bytes=settings.cache_bytes,
        redis=redis,
    )
    rate_limiter = (
        RateLimiter(settings.rate_limit, settings.rate_limit_burst, redis=redis)
        if settings.rate_limit > 0
        else None
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
        group_buys = GroupBuyService(GroupBuyStore(engine), orders)
        procurement = ProcurementService(ProcurementStore(engine), federation, orders)
        index = (
            CatalogIndex(
                engine,
                federation.connectors,
                stale_after=settings.stale_after,
                directory_every=settings.index_directory_interval,
            )
            if settings.index
            else None
        )
        auth: AuthService | None = None
        services = Services(orders, group_buys, procurement, index)
        app.state.federation = federation
        app.state.services = services
        app.state.audit = AuditLog(engine)
        try:
            auth = await AuthService.start(settings, engine, transport=auth_transport, redis=redis)
            app.state.auth = auth
            app.state.pipeline = Pipeline(
                served,
                auth=auth,
                federation=federation,
                services=services,
                persisted=persisted,
                rate_limiter=rate_limiter,
                auth_required=settings.auth_required_enabled,
                max_in_flight=settings.max_in_flight,
            )
            async with (
                running_orders(orders.worker),
                running_closer(group_buys.worker),
                _kept_fresh(index, settings.index_sync_interval, sync_progress),
            ):
                yield
        finally:
            if auth is not None:
                await auth.aclose()
            await federation.aclose()
            await engine.dispose()
            if redis is not None:
                await redis.aclose()

    app = Starlette(
        routes=[
            Route(
                "/graphql",
                GraphQLEndpoint(
                    max_body_bytes=settings.max_body_bytes,
                    graphiql=settings.graphiql_enabled,
                    max_batch_size=settings.max_batch_size,
                ),
            ),
            WebSocketRoute(
                "/graphql",
                WebSocketEndpoint(recheck_seconds=max(0.5, settings.auth_client_cache)),
            ),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *auth_endpoints.routes(),
            *dashboard.routes(),
            *ocds.routes(),
            *graphiql.routes(enabled=settings.graphiql_enabled),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app


def served_at(settings: Settings, sock: socket.socket) -> Settings:
    """``settings`` for a hub serving on ``sock``: its ``host`` and ``port`` become the
    bound socket's (``--port 0`` included), so the tokens' ``iss`` and the OAuth metadata
    name the server clients reach, unless ``HUB_AUTH_ISSUER`` says otherwise."""
    host, port = sock.getsockname()[:2]
    served = replace(settings, host=host, port=port)
    if settings.auth_issuer is None and ipaddress.ip_address(host).is_unspecified:
        logger.warning(
            "listening on every address: the OAuth issuer reads %s, which partner apps "
            "cannot reach; set HUB_AUTH_ISSUER to the hub's public URL",
            served.token_issuer,
        )
    return served


def _kept_fresh(
    index: CatalogIndex | None, interval: float, progress: ProgressCallback | None
) -> AbstractAsyncContextManager[None]:
    return index.kept_fresh(interval, progress) if index is not None else nullcontext()


def hub_documents(settings: Settings) -> Documents:
    """How the hub configured by ``settings`` parses and validates documents."""
    return Documents(
        bounds=document_bounds(settings),
        limits=query_limits(settings),
        introspection=settings.introspection_enabled,
        cache_bytes=settings.cache_bytes,
    )


def document_bounds(settings: Settings) -> DocumentBounds:
    """The bounds on documents ``settings`` configure."""
    return DocumentBounds(
        max_chars=settings.max_query_chars,
        max_tokens=settings.max_tokens,
        max_fields=settings.max_fields,
        max_directives=settings.max_directives,
    )


def query_limits(settings: Settings) -> QueryLimits:
    """The query limits ``settings`` configure."""
    return QueryLimits(
        max_depth=settings.max_depth,
        max_cost=settings.max_cost,
        default_list_size=settings.default_list_size,
        max_aliases=settings.max_aliases,
        max_root_fields=settings.max_root_fields,
    )
