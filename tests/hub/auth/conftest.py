"""Auth fixtures: a hub app with its auth service reachable, clients, tokens, forgeries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
import pytest_asyncio
import strawberry
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from strawberry.types import Info

from hub.auth.clients import NewClient
from hub.auth.service import AuthService
from hub.settings import Settings, load_settings
from resolvers.context import Context
from tests.support.live import LiveNetworks, live_networks

COOPERATIVE = base64.urlsafe_b64encode(b"Cooperative:sejuk:K-001").decode().rstrip("=")
SUPPLIER = base64.urlsafe_b64encode(b"Supplier:1234567890123").decode().rstrip("=")


@strawberry.type
class Query:
    @strawberry.field
    def whoami(self, info: Info[Context, None]) -> str:
        principal = info.context.principal
        if principal is None:
            return "anonymous"
        scopes = ",".join(sorted(principal.scopes))
        return f"{principal.client_id}|{principal.organization}|{scopes}"


def whoami_schema(extensions: Sequence[Any]) -> strawberry.Schema:
    """The ``whoami`` schema with the hub's extensions (``create_app``'s schema builder)."""
    return strawberry.Schema(query=Query, extensions=list(extensions))


WHOAMI = {"query": "{ whoami }"}


@dataclass
class AuthHub:
    """A running hub: its HTTP client, its app, and helpers over its auth service."""

    client: httpx.AsyncClient
    app: Starlette

    @property
    def auth(self) -> AuthService:
        auth: AuthService = self.app.state.auth
        return auth

    async def new_client(
        self, scopes: str = "catalog:read orders:read", org: str = COOPERATIVE
    ) -> NewClient:
        return await self.auth.store.create(org, scopes, "test")

    async def token(self, new: NewClient, scope: str | None = None) -> str:
        form = {"grant_type": "client_credentials"}
        if scope is not None:
            form["scope"] = scope
        response = await self.client.post(
            "/oauth/token", data=form, auth=(new.record.client_id, new.secret)
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    async def graphql(self, token: str | None = None, **headers: str) -> httpx.Response:
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        return await self.client.post("/graphql", json=WHOAMI, headers=headers)


@asynccontextmanager
async def auth_hub(
    settings: Settings | None = None,
    *,
    auth_transport: httpx.AsyncBaseTransport | None = None,
    keep_database: bool = False,
) -> AsyncIterator[AuthHub]:
    """A hub on the ``whoami`` schema, on its own database unless ``keep_database``."""
    # imported here: the helpers below stay importable without the whole app
    from hub.app import create_app
    from tests.hub.conftest import private_database

    settings = settings or load_settings({"HUB_RATE_LIMIT": "0"})
    if not keep_database:
        settings = private_database(settings)
    app = create_app(settings, schema=whoami_schema, auth_transport=auth_transport)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://hub") as client,
    ):
        yield AuthHub(client, app)


AuthHubFactory = Callable[..., AbstractAsyncContextManager[AuthHub]]


@pytest.fixture
def make_auth_hub() -> AuthHubFactory:
    """``async with make_auth_hub(settings) as hub``."""
    return auth_hub


@pytest.fixture
async def hub_auth() -> AsyncIterator[AuthHub]:
    """A hub with default auth settings (tokens optional)."""
    async with auth_hub() as hub:
        yield hub


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def claims_for(settings: Settings, client_id: str, org: str, **changes: Any) -> dict[str, Any]:
    """Good claims for a hub token, with ``changes`` (a None value drops the claim)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.token_issuer,
        "aud": settings.auth_audience,
        "sub": client_id,
        "client_id": client_id,
        "org": org,
        "scope": "catalog:read",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": "test",
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def sign(key: RSAKey, claims: dict[str, Any], **header: Any) -> str:
    """An RS256 token over ``claims`` signed with ``key``; ``header`` overrides."""
    fields = {"alg": "RS256", "typ": "at+jwt", "kid": key.kid, **header}
    fields = {name: value for name, value in fields.items() if value is not None}
    return jwt.encode(fields, claims, key, algorithms=[fields["alg"]])


def unsigned(claims: dict[str, Any], kid: str) -> str:
    """An ``alg: none`` token."""
    header = {"alg": "none", "typ": "at+jwt", "kid": kid}
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}."


def hs256_with_public_key(claims: dict[str, Any], key: RSAKey) -> str:
    """HS256 keyed with the public key's PEM: the classic algorithm confusion forgery."""
    header = {"alg": "HS256", "typ": "at+jwt", "kid": key.kid}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    secret = key.as_pem(private=False)
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def with_settings(**changes: Any) -> Settings:
    """Default test settings (rate limit off) with ``changes``."""
    return replace(load_settings({"HUB_RATE_LIMIT": "0"}), **changes)


def network_env(networks: LiveNetworks) -> dict[str, str]:
    """``HUB_NETWORK_<CODE>_URL`` for each of ``networks``: the hub's commands ask them."""
    return {f"HUB_NETWORK_{code.upper()}_URL": url for code, url in networks.urls.items()}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveNetworks]:
    """The three reference networks on free ports, for a module's tests."""
    async with live_networks(tmp_path_factory.mktemp("networks"), products=40) as networks:
        yield networks
