"""Writes to the index, inside a transaction the caller holds.

Products are updated in place by ``(network, id)`` and inserted when new, in two
statements rather than a dialect's upsert, because a product's ``key`` (its rowid on
SQLite) may change with its price.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.records import CooperativeRecord, ProductRecord, SupplierRecord
from federation.index import keys, rows
from federation.index.tables import (
    catalog_cooperatives,
    catalog_products,
    catalog_suppliers,
    catalog_sync,
)

CHUNK = 500  # bound parameters per IN (...), well under SQLite's limit


@dataclass(frozen=True, slots=True)
class SyncState:
    """One network's row of ``catalog_sync``."""

    network: str
    marker: str | None = None
    generation: int = 0
    full_loaded: bool = False
    synced_at: float | None = None
    attempted_at: float | None = None
    error: str | None = None


async def read_states(conn: AsyncConnection) -> dict[str, SyncState]:
    """Every network's sync state, by code."""
    found = (await conn.execute(select(catalog_sync))).mappings()
    return {row["network"]: SyncState(**row) for row in found}


async def read_state(conn: AsyncConnection, network: str) -> SyncState:
    """``network``'s sync state; a blank one when it was never synced."""
    row = (
        (await conn.execute(select(catalog_sync).where(catalog_sync.c.network == network)))
        .mappings()
        .first()
    )
    return SyncState(**row) if row is not None else SyncState(network)


async def write_state(conn: AsyncConnection, state: SyncState) -> None:
    values = {
        "network": state.network,
        "marker": state.marker,
        "generation": state.generation,
        "full_loaded": state.full_loaded,
        "synced_at": state.synced_at,
        "attempted_at": state.attempted_at,
        "error": state.error,
    }
    await _upsert(conn, catalog_sync, [values], ["network"])


async def apply_products(
    conn: AsyncConnection,
    network: str,
    upserts: Sequence[ProductRecord],
    deletions: Sequence[str],
    generation: int,
) -> None:
    """Write ``upserts`` (new or replaced products) and remove ``deletions`` (ids)."""
    for chunk in _chunks(list(deletions)):
        await conn.execute(
            delete(catalog_products).where(
                catalog_products.c.network == network, catalog_products.c.id.in_(chunk)
            )
        )
    if not upserts:
        return
    existing = await _existing_keys(conn, network, [p.id for p in upserts])
    wanted: dict[str, int] = {}
    for product in upserts:
        old = existing.get(product.id)
        if old is not None and old[1] == product.price:
            wanted[product.id] = old[0]
        else:
            wanted[product.id] = keys.key(product.price, keys.seq(network, product.id))
    chosen = await _free_keys(conn, network, wanted)
    changed = [rows.product_row(p, chosen[p.id], generation) for p in upserts if p.id in existing]
    added = [rows.product_row(p, chosen[p.id], generation) for p in upserts if p.id not in existing]
    if changed:
        columns = catalog_products.c
        statement = (
            update(catalog_products)
            .where(columns.network == bindparam("b_network"), columns.id == bindparam("b_id"))
            .values({name: bindparam(name) for name in changed[0] if name not in ("network", "id")})
        )
        await conn.execute(
            statement, [{**row, "b_network": row["network"], "b_id": row["id"]} for row in changed]
        )
    if added:
        await conn.execute(insert(catalog_products), added)


async def upsert_suppliers(
    conn: AsyncConnection, suppliers: Iterable[SupplierRecord], generation: int
) -> None:
    values = [rows.supplier_row(s, generation) for s in suppliers]
    await _upsert(conn, catalog_suppliers, values, ["network", "id"])


async def upsert_cooperatives(
    conn: AsyncConnection, cooperatives: Iterable[CooperativeRecord], generation: int
) -> None:
    values = [rows.cooperative_row(c, generation) for c in cooperatives]
    await _upsert(conn, catalog_cooperatives, values, ["network", "id"])


async def remove_unlisted(
    conn: AsyncConnection, network: str, suppliers: set[str], cooperatives: set[str]
) -> None:
    """Remove ``network``'s suppliers and cooperatives other than those ids (what a whole
    listing of its directory just returned)."""
    for table, listed in ((catalog_suppliers, suppliers), (catalog_cooperatives, cooperatives)):
        indexed = await conn.execute(select(table.c.id).where(table.c.network == network))
        for chunk in _chunks(sorted(set(indexed.scalars()) - listed)):
            await conn.execute(
                delete(table).where(table.c.network == network, table.c.id.in_(chunk))
            )


async def sweep(conn: AsyncConnection, network: str, generation: int) -> None:
    """Remove ``network``'s rows that full load ``generation`` did not write."""
    for table in (catalog_products, catalog_suppliers, catalog_cooperatives):
        await conn.execute(
            delete(table).where(table.c.network == network, table.c.loaded_in < generation)
        )


async def analyze(engine: AsyncEngine) -> None:
    """Fresh planner statistics (PostgreSQL: its plans for text, filters and look-ups
    by id depend on them, and autovacuum may come much later or not at all)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as conn:
        for table in (catalog_products, catalog_suppliers, catalog_cooperatives):
            await conn.execute(text(f"ANALYZE {table.name}"))


async def vacuum(engine: AsyncEngine) -> None:
    """After a full load on PostgreSQL: statistics, and the visibility map that lets the
    postings be read from their index alone (autovacuum may come much later or not at all)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")  # VACUUM needs it
        for table in (catalog_products, catalog_suppliers, catalog_cooperatives):
            await conn.execute(text(f"VACUUM (ANALYZE) {table.name}"))
        await conn.execute(text("VACUUM (ANALYZE) catalog_terms"))  # migration 0007


async def _existing_keys(
    conn: AsyncConnection, network: str, ids: list[str]
) -> dict[str, tuple[int, int]]:
    """``id -> (key, price)`` of those of ``ids`` already indexed."""
    c = catalog_products.c
    found: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(ids):
        result = await conn.execute(
            select(c.id, c.key, c.price).where(c.network == network, c.id.in_(chunk))
        )
        found.update({row.id: (row.key, row.price) for row in result})
    return found


async def _free_keys(conn: AsyncConnection, network: str, wanted: dict[str, int]) -> dict[str, int]:
    """``wanted`` with every key another product holds (or this batch gave out) moved on."""
    c = catalog_products.c
    chosen = dict(wanted)
    claimed: set[int] = set()
    pending = sorted(chosen)
    while pending:
        holders: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(sorted({chosen[i] for i in pending})):
            result = await conn.execute(select(c.key, c.network, c.id).where(c.key.in_(chunk)))
            holders.update({row.key: (row.network, row.id) for row in result})
        retry = []
        for product_id in pending:
            candidate = chosen[product_id]
            holder = holders.get(candidate, (network, product_id))
            if holder != (network, product_id) or candidate in claimed:
                chosen[product_id] = keys.next_key(candidate)
                retry.append(product_id)
            else:
                claimed.add(candidate)
        pending = retry
    return chosen


async def _upsert(
    conn: AsyncConnection, table: Table, values: list[dict[str, Any]], key: list[str]
) -> None:
    if not values:
        return
    dialect = conn.dialect.name
    if dialect == "postgresql":
        pg = postgresql.insert(table)
        statement: Any = pg.on_conflict_do_update(
            index_elements=key,
            set_={name: pg.excluded[name] for name in values[0] if name not in key},
        )
    else:
        lite = sqlite.insert(table)
        statement = lite.on_conflict_do_update(
            index_elements=key,
            set_={name: lite.excluded[name] for name in values[0] if name not in key},
        )
    await conn.execute(statement, values)


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]
