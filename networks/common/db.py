"""A network's own SQLite database: seeded once, then served with async SQLAlchemy.

Seeding writes a fresh file beside the real one and renames it into place, so a seed that
is interrupted never leaves a half-filled database. Serving uses WAL and ``BEGIN
IMMEDIATE`` for writes: SQLite's deferred transactions fail concurrent read-then-write
with "database is locked", immediate ones queue instead.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, create_engine, event, insert, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SeedFunction = Callable[[Connection], None]


def prepare(path: Path, metadata: MetaData, marker: str, seed: SeedFunction, reset: bool) -> bool:
    """Create and seed the database at ``path`` unless it already holds ``marker``.

    Returns True when it seeded.
    """
    if not reset and _read_marker(path) == marker:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".seeding")
    scratch.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{scratch}")
    event.listen(engine, "connect", _fast_bulk_pragmas)
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
            seed(conn)
            conn.execute(text("CREATE TABLE seed_marker (marker TEXT NOT NULL)"))
            conn.execute(text("INSERT INTO seed_marker VALUES (:m)"), {"m": marker})
    finally:
        engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(scratch, path)
    return True


def insert_batched(
    conn: Connection, table: Table, rows: Iterable[dict[str, Any]], batch_size: int = 5_000
) -> int:
    """Insert ``rows`` with executemany in batches, so 100,000 rows never sit in memory."""
    count = 0
    remaining = iter(rows)
    while batch := list(islice(remaining, batch_size)):
        conn.execute(insert(table), batch)
        count += len(batch)
    return count


def _read_marker(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as conn:
            row = conn.execute("SELECT marker FROM seed_marker").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _fast_bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Only for the scratch file: if the seed dies the file is thrown away anyway.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=OFF")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


class Database:
    """Async access to one network's SQLite file: ``read()`` and ``write()`` sessions."""

    def __init__(self, path: Path) -> None:
        url = f"sqlite+aiosqlite:///{path}"
        self._reader = _engine(url, "BEGIN")
        self._writer = _engine(url, "BEGIN IMMEDIATE")
        self._read_sessions = async_sessionmaker(self._reader, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(self._writer, expire_on_commit=False)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read_sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits as a whole when the block ends, or not at all."""
        async with self._write_sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self._reader.dispose()
        await self._writer.dispose()


def _engine(url: str, begin: str) -> AsyncEngine:
    engine = create_async_engine(url, pool_size=8, max_overflow=8)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine
