from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, insert, select, update

from networks.common.db import Database, prepare

metadata = MetaData()
counter = Table("counter", metadata, Column("id", Integer, primary_key=True), Column("n", Integer))


def seed(conn: Connection) -> None:
    conn.execute(insert(counter), [{"id": 1, "n": 0}])


def test_a_failed_seed_leaves_no_database(tmp_path: Path) -> None:
    path = tmp_path / "net.sqlite3"

    def broken(conn: Connection) -> None:
        seed(conn)
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        prepare(path, metadata, "m1", broken, reset=False)
    assert not path.exists()
    assert prepare(path, metadata, "m1", seed, reset=False) is True
    assert prepare(path, metadata, "m1", seed, reset=False) is False
    assert prepare(path, metadata, "m2", seed, reset=False) is True


async def test_concurrent_read_modify_write_loses_no_update(tmp_path: Path) -> None:
    path = tmp_path / "net.sqlite3"
    prepare(path, metadata, "m", seed, reset=False)
    db = Database(path)

    async def increment() -> None:
        async with db.write() as session:
            n = (await session.execute(select(counter.c.n))).scalar_one()
            await asyncio.sleep(0)
            await session.execute(update(counter).values(n=n + 1))

    try:
        await asyncio.gather(*(increment() for _ in range(40)))
    finally:
        await db.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT n FROM counter").fetchone()[0] == 40


async def test_a_failing_write_block_commits_nothing(tmp_path: Path) -> None:
    path = tmp_path / "net.sqlite3"
    prepare(path, metadata, "m", seed, reset=False)
    db = Database(path)

    async def fail_half_way() -> None:
        async with db.write() as session:
            await session.execute(update(counter).values(n=99))
            raise ValueError("half-way")

    try:
        with pytest.raises(ValueError, match="half"):
            await fail_half_way()
        async with db.read() as session:
            assert (await session.execute(select(counter.c.n))).scalar_one() == 0
    finally:
        await db.dispose()
