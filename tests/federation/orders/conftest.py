"""Order saga fixtures: the live networks of ``tests/schema`` and a PostgreSQL database per run.

``networks``, ``federation`` and ``clean`` are the fixtures of ``tests/schema/conftest.py``,
imported rather than written again. ``postgres_url`` is a database of this run's own on the
server at ``HUB_TEST_POSTGRES_URL`` (created, then dropped), or a skip saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg  # type: ignore[import-untyped]
import pytest
import pytest_asyncio
from sqlalchemy.engine import make_url

from tests.schema.conftest import clean, federation, networks

__all__ = ["clean", "federation", "networks", "postgres_url", "temporary_database"]

POSTGRES_ENV = "HUB_TEST_POSTGRES_URL"


@asynccontextmanager
async def temporary_database(server_url: str) -> AsyncIterator[str]:
    """A new, empty database ``hub_test_<random>`` on the server of ``server_url``.

    ``server_url`` (SQLAlchemy form, ``postgresql+asyncpg://...``) names the maintenance
    database to connect to; nothing is created in it. Yields the new database's URL in
    the same form; the database is dropped on the way out, whatever still holds it.
    """
    server = make_url(server_url)
    name = f"hub_test_{uuid.uuid4().hex[:16]}"
    dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def reachable(server_url: str) -> str | None:
    """None when the server at ``server_url`` accepts a connection; otherwise why not."""
    dsn = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        connection = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def postgres_url() -> AsyncIterator[str]:
    """The URL of a database created for this module, on ``HUB_TEST_POSTGRES_URL``'s server."""
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    problem = await reachable(server_url)
    if problem is not None:
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is unreachable ({problem})")
    async with temporary_database(server_url) as url:
        yield url
