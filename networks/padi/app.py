"""PaDi UMKM's starlette app: OAuth token endpoint, JWKS, GraphQL, SDL and admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from networks.common.app import create_network_app
from networks.common.clock import periodic
from networks.common.db import Database
from networks.padi import orders, tables
from networks.padi.admin import admin_routes
from networks.padi.errors import EXCEPTION_HANDLERS
from networks.padi.graphql_view import PadiGraphQL
from networks.padi.oauth import PadiAuthorizationServer, token_endpoint
from networks.padi.ratelimit import RateLimiter
from networks.padi.schema import build_schema
from networks.padi.seed import make_seed
from networks.padi.settings import PadiSettings
from networks.padi.tokens import TokenService


def create_app(settings: PadiSettings | None = None) -> Starlette:
    """PaDi UMKM with a fresh signing key, seeded on first start."""
    settings = settings or PadiSettings()
    tokens = TokenService(
        settings.token_issuer, settings.token_audience, settings.token_ttl_seconds
    )
    oauth = PadiAuthorizationServer(settings.oauth_clients, tokens)
    limiter = RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
    schema = build_schema()
    sdl = schema.as_str() + "\n"

    async def token(request: Request) -> Response:
        return await token_endpoint(request, oauth, settings.allow_plain_http)

    async def jwks(_: Request) -> Response:
        return JSONResponse(tokens.jwks())

    async def schema_sdl(_: Request) -> Response:
        return PlainTextResponse(sdl)

    @asynccontextmanager
    async def order_clock(db: Database) -> AsyncIterator[None]:
        async def tick() -> None:
            async with db.write() as session:
                await orders.advance_open_orders(session)

        async with periodic(settings.order_clock, tick):
            yield

    graphql = PadiGraphQL(schema, settings, tokens, limiter)
    app = create_network_app(
        settings,
        routes=[
            Route("/oauth/token", token, methods=["POST"]),
            Route("/.well-known/jwks.json", jwks, methods=["GET"]),
            Route("/schema.graphql", schema_sdl, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *admin_routes(settings),
        ],
        metadata=tables.metadata,
        schema_version=tables.SCHEMA_VERSION,
        seed=make_seed(settings),
        exception_handlers=EXCEPTION_HANDLERS,
        background=order_clock,
    )
    app.state.tokens = tokens
    return app
