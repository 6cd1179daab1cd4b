"""Alembic environment: async engines, SQLite and PostgreSQL alike (batch mode for SQLite)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from federation.groupbuy.tables import metadata as groupbuy_metadata
from federation.orders.database import connect
from federation.orders.tables import metadata as orders_metadata
from federation.procurement.tables import metadata as procurement_metadata
from hub.audit.tables import metadata as audit_metadata
from hub.auth.tables import metadata as auth_metadata


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=[
            orders_metadata,
            auth_metadata,
            audit_metadata,
            groupbuy_metadata,
            procurement_metadata,
        ],
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
