"""Alembic environment: async engines, SQLite and PostgreSQL alike (batch mode for SQLite)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from federation.orders.database import connect
from hub.database import METADATA, modelled


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=list(METADATA),
        include_object=modelled,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run() -> None:
    engine = connect(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate)
            await connection.commit()
    finally:
        await engine.dispose()


asyncio.run(_run())
