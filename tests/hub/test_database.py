"""The migrations make exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio.to_thread
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData

from federation.orders.database import connect
from hub.database import METADATA, modelled, upgrade
from tests.hub.auth.test_migration import postgres

__all__ = ["postgres"]


def _differences(connection: Connection) -> list[Any]:
    models = MetaData()
    for metadata in METADATA:
        for table in metadata.tables.values():
            table.to_metadata(models)
    context = MigrationContext.configure(connection, opts={"include_object": modelled})
    return list(compare_metadata(context, models))


async def _check(url: str) -> None:
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()


async def test_migrations_match_the_models_on_sqlite(tmp_path: Path) -> None:
    await _check(f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3")


async def test_migrations_match_the_models_on_postgres(postgres: str) -> None:
    await _check(postgres)
