"""Migration 0002: the clients table on SQLite (and PostgreSQL when one is configured)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import anyio.to_thread
import pytest
from alembic import command
from sqlalchemy import inspect

from federation.orders.database import connect
from hub.auth.clients import ClientStore
from hub.database import alembic_config, upgrade
from tests.federation.orders.conftest import POSTGRES_ENV, reachable, temporary_database
from tests.hub.auth.conftest import COOPERATIVE


async def _tables(url: str) -> set[str]:
    engine = connect(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def _round_trip(url: str) -> None:
    await anyio.to_thread.run_sync(upgrade, url)
    assert {"orders", "oauth_clients"} <= await _tables(url)
    engine = connect(url)
    try:
        store = ClientStore(engine)
        new = await store.create(COOPERATIVE, "catalog:read")
        assert await store.get(new.record.client_id) == new.record
    finally:
        await engine.dispose()
    await anyio.to_thread.run_sync(command.downgrade, alembic_config(url), "0001")
    tables = await _tables(url)
    assert "oauth_clients" not in tables
    assert "orders" in tables
    await anyio.to_thread.run_sync(upgrade, url)
    assert "oauth_clients" in await _tables(url)


async def test_migration_on_sqlite(tmp_path: Path) -> None:
    await _round_trip(f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3")


@pytest.fixture
async def postgres() -> AsyncIterator[str]:
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    problem = await reachable(server_url)
    if problem is not None:
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is unreachable ({problem})")
    async with temporary_database(server_url) as url:
        yield url


@pytest.mark.postgres
async def test_migration_on_postgres(postgres: str) -> None:
    await _round_trip(postgres)
