"""Migration 0004 creates exactly the group buy tables, and takes them away again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from federation.groupbuy.tables import metadata
from hub.database import alembic_config, upgrade

OURS = frozenset(metadata.tables)


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is not None and table.name in OURS


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_migration_matches_the_tables_the_code_uses(tmp_path: Path) -> None:
    path = tmp_path / "hub.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": _ours})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()
    assert _tables(f"sqlite:///{path}") >= OURS


def test_0004_adds_exactly_the_group_buy_tables_and_downgrading_removes_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hub.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0003")
    before = _tables(f"sqlite:///{path}")
    upgrade(url, "0004")
    assert _tables(f"sqlite:///{path}") == before | OURS
    command.downgrade(alembic_config(url), "0003")
    assert _tables(f"sqlite:///{path}") == before
