"""Hub fixtures: the three reference networks in process, and hub apps over them.

``hub`` serves a small test schema (its shape does not follow the public schema as it
grows): a query, a mutation, a field that always fails, and the federation's codes.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from starlette.applications import Starlette
from strawberry.types import Info

from hub.app import SchemaBuilder, create_app
from hub.settings import Settings, load_settings
from networks.padi.app import create_app as create_padi
from networks.padi.settings import PadiSettings
from networks.sejuk.app import create_app as create_sejuk
from networks.sejuk.settings import SejukSettings
from networks.tangerang.app import create_app as create_tangerang
from networks.tangerang.settings import TangerangSettings
from resolvers.context import Context

ADMIN = {"Authorization": "Bearer admin-dev-token"}
PRODUCTS = 60


@strawberry.type
class Query:
    @strawberry.field
    def echo(self, text: str) -> str:
        return text

    @strawberry.field
    def codes(self, info: Info[Context, None]) -> list[str]:
        return list(info.context.federation.codes)

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("this field always fails")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def ping(self) -> str:
        return "pong"


def build_test_schema(extensions: Sequence[Any]) -> strawberry.Schema:
    """The small test schema, running the hub's extensions as the public one does."""
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions)


HubFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@asynccontextmanager
async def serve_hub(
    settings: Settings,
    *,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
    schema: SchemaBuilder | None = build_test_schema,
) -> AsyncIterator[httpx.AsyncClient]:
    """A hub app started in process, on a database of its own, and a client for it."""
    app = create_app(private_database(settings), transports=transports, schema=schema)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://hub") as client,
    ):
        yield client


def private_database(settings: Settings) -> Settings:
    """``settings`` on a fresh SQLite file in a temporary folder.

    The signing keys go to one folder per test run (unless the settings name their own),
    so test hubs neither write to ``var/keys`` nor each make a key of their own. Unless
    the settings say, the hub runs open, as ``hub demo`` does: most tests here exercise
    the graph, and the ones about tokens ask for them.
    """
    folder = tempfile.mkdtemp(prefix="hub-test-")
    keys = settings.auth_keys_dir
    if keys == Settings.auth_keys_dir:
        keys = shared_keys_dir()
    return replace(
        settings,
        database_url=f"sqlite+aiosqlite:///{folder}/hub.sqlite3",
        auth_keys_dir=keys,
        auth_required=settings.auth_required is True,
    )


_KEYS_DIR: list[str] = []


def shared_keys_dir() -> str:
    """A keys folder made once for this test run."""
    if not _KEYS_DIR:
        _KEYS_DIR.append(tempfile.mkdtemp(prefix="hub-test-keys-"))
    return _KEYS_DIR[0]


@pytest.fixture
async def hub() -> AsyncIterator[httpx.AsyncClient]:
    """A hub on the test schema with the default (unstarted) networks: no upstream calls."""
    async with serve_hub(load_settings({})) as client:
        yield client


@pytest.fixture(scope="session")
def network_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the session: each network seeds its database once."""
    return tmp_path_factory.mktemp("networks")


@pytest.fixture
async def networks(network_data: Path) -> AsyncIterator[dict[str, Starlette]]:
    """The three reference networks, started in process, by code."""
    apps = {
        "sejuk": create_sejuk(SejukSettings(data_dir=network_data, products=PRODUCTS)),
        "tangerang": create_tangerang(TangerangSettings(data_dir=network_data, products=PRODUCTS)),
        "padi": create_padi(PadiSettings(data_dir=network_data, products=PRODUCTS)),
    }
    async with AsyncExitStack() as stack:
        for app in apps.values():
            await stack.enter_async_context(app.router.lifespan_context(app))
        yield apps


@pytest.fixture
def transports(networks: dict[str, Starlette]) -> dict[str, httpx.AsyncBaseTransport]:
    """Transports that route the hub's connectors to the in-process networks."""
    return {code: httpx.ASGITransport(app=app) for code, app in networks.items()}


async def request_total(apps: dict[str, Starlette]) -> int:
    """How many requests the networks have received, together (their admin counters)."""
    total = 0
    for app in apps.values():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://network") as client:
            response = await client.get("/admin/requests", headers=ADMIN)
            response.raise_for_status()
            total += int(response.json()["total"])
    return total


@pytest.fixture
async def redis_env() -> AsyncIterator[dict[str, str]]:
    """``HUB_REDIS_URL`` and a key prefix of its own for this test; skips without Redis.

    The keys under the prefix are deleted afterwards.
    """
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("HUB_TEST_REDIS_URL")
    if not url:
        pytest.skip("HUB_TEST_REDIS_URL is not set: no Redis to share state through")
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        pytest.skip(f"Redis at HUB_TEST_REDIS_URL is unreachable: {error}")
    prefix = f"hub-test-{uuid.uuid4().hex}"
    try:
        yield {"HUB_REDIS_URL": url, "HUB_REDIS_PREFIX": prefix}
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def set_fault(app: Starlette, **faults: object) -> None:
    """Change a network's fault settings through its admin API."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://network") as client:
        response = await client.put("/admin/faults", json=faults, headers=ADMIN)
        response.raise_for_status()


@pytest.fixture
def faults() -> Callable[..., object]:
    """``await faults(app, down="503")``: the admin fault call, for test modules."""
    return set_fault


@pytest.fixture
def make_hub() -> HubFactory:
    """``async with make_hub(settings) as client``: a hub on the test schema."""
    return serve_hub


@pytest.fixture
def hub_over() -> HubFactory:
    """``async with hub_over(settings, transports=...) as client``: a hub on the real schema."""

    def factory(
        settings: Settings, *, transports: dict[str, httpx.AsyncBaseTransport] | None = None
    ) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        return serve_hub(settings, transports=transports, schema=None)

    return factory
