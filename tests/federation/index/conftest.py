"""Live reference networks per test (the scenarios change their data), a federation over
them, and a freshly migrated hub database: SQLite in ``tmp_path``, or PostgreSQL on the
server at ``HUB_TEST_POSTGRES_URL`` (skipped, saying why, when unset or unreachable)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import anyio.to_thread
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from federation.hub import Federation
from federation.orders.database import connect
from hub.database import upgrade
from tests.federation.orders.conftest import POSTGRES_ENV, reachable, temporary_database
from tests.support.live import LiveNetworks, federation_over, live_networks


@pytest.fixture
async def networks(tmp_path: Path) -> AsyncIterator[LiveNetworks]:
    async with live_networks(tmp_path / "networks") as live:
        yield live


@pytest.fixture
async def federation(networks: LiveNetworks) -> AsyncIterator[Federation]:
    async with federation_over(networks, deadline=5.0, request_timeout=5.0) as fed:
        yield fed


async def _migrated(url: str) -> AsyncIterator[AsyncEngine]:
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async for engine in _migrated(f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"):
        yield engine


@pytest.fixture
async def postgres_engine() -> AsyncIterator[AsyncEngine]:
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    problem = await reachable(server_url)
    if problem is not None:
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is unreachable ({problem})")
    async with temporary_database(server_url) as url:
        async for engine in _migrated(url):
            yield engine
