"""Cooperatives from the index: search by name like ``federation.cooperatives``, and
look-ups by ``(network, id)`` for the graph's nested fields.

Each cooperative is its own network's, so there is no ownership to decide: the live
path's order (casefolded name, then network and id) and its filters
(``federation.filters.cooperative_matches``), with the text matched as normalised words
inside the name, as the index's supplier search does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.records import CooperativeQuery, CooperativeRecord
from federation import cursor
from federation.errors import InputError
from federation.index import paging, rows
from federation.index.paging import IndexPage, Position
from federation.index.tables import catalog_cooperatives
from federation.index.text import words

_SEPARATOR = "\x00"


@dataclass(frozen=True)
class IndexCooperativeSearch:
    query: CooperativeQuery
    networks: tuple[str, ...] | None = None

    def fingerprint(self) -> str:
        return cursor.fingerprint("index-cooperatives", self.query, self.networks)


def _conditions(search: IndexCooperativeSearch) -> list[ColumnElement[bool]]:
    c = catalog_cooperatives.c
    q = search.query
    found: list[ColumnElement[bool]] = [c.search_name.like(f"%{w}%") for w in words(q.text or "")]
    if q.type is not None:
        found.append(c.type == q.type)
    if q.region_code is not None:
        found.append(or_(c.region_code == q.region_code, c.region_code.like(f"{q.region_code}.%")))
    if search.networks is not None:
        found.append(c.network.in_(search.networks))
    return found


async def search_cooperatives(
    engine: AsyncEngine, search: IndexCooperativeSearch, first: int, after: str | None = None
) -> IndexPage[CooperativeRecord]:
    """The next ``first`` cooperatives by name after the cursor ``after``."""
    fingerprint = search.fingerprint()
    start = paging.decode(after, fingerprint) if after else None
    if first < 1 or (search.networks is not None and not search.networks):
        return IndexPage((), after, False)
    c = catalog_cooperatives.c
    statement = select(catalog_cooperatives).where(*_conditions(search))
    if start is not None:
        name_key, network, native_id = _split(str(start.key))
        statement = statement.where(
            tuple_(c.name_key, c.network, c.id) > tuple_(name_key, network, native_id)
        )
    statement = statement.order_by(c.name_key, c.network, c.id).limit(first + 1)
    async with engine.connect() as conn:
        found = (await conn.execute(statement)).mappings().all()
    items = tuple(
        (
            rows.cooperative_record(row),
            paging.encode(
                Position(0, _SEPARATOR.join((row["name_key"], row["network"], row["id"]))),
                fingerprint,
            ),
        )
        for row in found[:first]
    )
    return IndexPage(items, items[-1][1] if items else after, len(found) > first)


def _split(key: str) -> tuple[str, str, str]:
    parts = key.split(_SEPARATOR)
    if len(parts) != 3:
        raise InputError("`after` is not a cursor this API issued")
    return parts[0], parts[1], parts[2]


async def cooperatives_by_key(
    engine: AsyncEngine, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], CooperativeRecord]:
    """The cooperatives among ``keys`` (network, id) that the index holds."""
    c = catalog_cooperatives.c
    found: dict[tuple[str, str], CooperativeRecord] = {}
    async with engine.connect() as conn:
        for chunk in _chunks(keys):
            result = await conn.execute(
                select(catalog_cooperatives).where(tuple_(c.network, c.id).in_(chunk))
            )
            for row in result.mappings():
                found[(row["network"], row["id"])] = rows.cooperative_record(row)
    return found


def _chunks(keys: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    unique = sorted(set(keys))
    return [unique[i : i + 500] for i in range(0, len(unique), 500)]
