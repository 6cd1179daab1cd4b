"""Order idempotency keys per buyer (migration 0010 and the store), on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
import pytest_asyncio
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, delete, insert
from sqlalchemy.exc import IntegrityError

from federation.errors import ConflictError
from federation.orders.database import connect
from federation.orders.model import OrderDraft, OrderLine
from federation.orders.store import OrderStore
from federation.orders.tables import metadata, orders
from hub.database import alembic_config, upgrade
from tests.federation.orders.conftest import POSTGRES_ENV, reachable, temporary_database

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file, or one of this test's own on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"
        return
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    problem = await reachable(server_url)
    if problem is not None:
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is unreachable ({problem})")
    async with temporary_database(server_url) as url:
        yield url


def _row(order_id: str, buyer: str, key: str) -> dict[str, Any]:
    return {
        "id": order_id,
        "idempotency_key": key,
        "request_hash": "0" * 64,
        "buyer_id": buyer,
        "buyer_name": buyer,
        "buyer_network": "sejuk",
        "delivery_region_code": "32.73",
        "status": "CONFIRMED",
        "total": 1000,
        "created_at": 1.0,
        "updated_at": 1.0,
    }


async def _insert(url: str, order_id: str, buyer: str, key: str) -> bool:
    """Whether the database took an order row: False when a unique constraint refused it."""
    engine = connect(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(orders).values(_row(order_id, buyer, key)))
        return True
    except IntegrityError:
        return False
    finally:
        await engine.dispose()


async def _remove(url: str, order_id: str) -> None:
    engine = connect(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(delete(orders).where(orders.c.id == order_id))
    finally:
        await engine.dispose()


def _orders_differences(connection: Connection) -> list[Any]:
    def only_orders(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        table = obj if kind == "table" else getattr(obj, "table", None)
        return table is not None and table.name == "orders"

    context = MigrationContext.configure(connection, opts={"include_object": only_orders})
    return list(compare_metadata(context, metadata))


async def _differences(url: str) -> list[Any]:
    engine = connect(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_orders_differences)
    finally:
        await engine.dispose()


async def test_0010_scopes_order_keys_per_buyer_and_downgrades(database: str) -> None:
    url = database
    await anyio.to_thread.run_sync(upgrade, url, "0009")
    assert await _insert(url, "a1", "buyer-a", "key-1")
    # Before: keys are global, so another buyer's equal key is refused.
    assert not await _insert(url, "b1", "buyer-b", "key-1")

    await anyio.to_thread.run_sync(upgrade, url, "0010")
    assert await _differences(url) == []
    assert await _insert(url, "b1", "buyer-b", "key-1")
    assert not await _insert(url, "a2", "buyer-a", "key-1")  # the same buyer's: still one

    await _remove(url, "b1")  # downgrading needs keys unique across buyers again
    await anyio.to_thread.run_sync(command.downgrade, alembic_config(url), "0009")
    assert not await _insert(url, "b2", "buyer-b", "key-1")
    await anyio.to_thread.run_sync(upgrade, url, "0010")
    assert await _insert(url, "b2", "buyer-b", "key-1")
    assert await _differences(url) == []


def _draft(buyer: str, key: str, quantity: int) -> OrderDraft:
    line = OrderLine(0, "sejuk", "P-1", "Beras 5 kg", "karung", quantity, 1000, 1000 * quantity)
    return OrderDraft(key, f"{buyer}-{quantity}", buyer, buyer, "sejuk", "32.73", (line,))


async def test_the_store_keeps_each_buyers_keys_to_itself(database: str) -> None:
    await anyio.to_thread.run_sync(upgrade, database)
    engine = connect(database)
    try:
        store = OrderStore(engine)
        theirs, created = await store.create(_draft("buyer-a", "rapat-1", 2))
        assert created
        # Another buyer's equal key, for another order even: its own new order.
        mine, created = await store.create(_draft("buyer-b", "rapat-1", 3))
        assert created
        assert mine.id != theirs.id
        assert mine.buyer_id == "buyer-b"
        # A retry finds the buyer's own; the same key for a different order conflicts.
        again, created = await store.create(_draft("buyer-a", "rapat-1", 2))
        assert (again.id, created) == (theirs.id, False)
        with pytest.raises(ConflictError):
            await store.create(_draft("buyer-b", "rapat-1", 4))
    finally:
        await engine.dispose()
