"""Supplier search from the index, one supplier per NIB, like ``federation.suppliers``.

Ownership is the live path's rule: a NIB is shown through the first network, in the
federation's order, whose listing matches the query. The filters are those of
``federation.filters.supplier_matches``; the text matches normalised words inside the
name (each query word a substring), as the live path matches a substring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Subquery,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.records import SupplierQuery, SupplierRecord
from federation import cursor
from federation.index import paging, rows
from federation.index.paging import IndexPage, Position
from federation.index.tables import catalog_suppliers
from federation.index.text import words

_SEPARATOR = "\x00"


@dataclass(frozen=True)
class IndexSupplierSearch:
    query: SupplierQuery
    networks: tuple[str, ...] | None = None

    def fingerprint(self) -> str:
        return cursor.fingerprint("index-suppliers", self.query, self.networks)


def _conditions(search: IndexSupplierSearch, table: FromClause) -> list[ColumnElement[bool]]:
    """The search's filters on ``table`` (``catalog_suppliers`` or an alias of it)."""
    s = table.c
    q = search.query
    found: list[ColumnElement[bool]] = [s.search_name.like(f"%{w}%") for w in words(q.text or "")]
    if q.region_codes:
        found.append(
            or_(*(or_(s.region_code == c, s.region_code.like(f"{c}.%")) for c in q.region_codes))
        )
    if q.kbli is not None:
        found.append(s.kbli_text.like(f"% {q.kbli}%"))
    if q.scale is not None:
        found.append(s.scale == q.scale.value)
    found.extend(s.certification_text.like(f"% {kind.value} %") for kind in q.certifications)
    if q.verified_only:
        found.append(s.verified.is_(True))
    if search.networks is not None:
        found.append(s.network.in_(search.networks))
    return found


async def search_suppliers(
    engine: AsyncEngine,
    search: IndexSupplierSearch,
    order: Sequence[str],
    first: int,
    after: str | None = None,
) -> IndexPage[SupplierRecord]:
    """The next ``first`` suppliers by name, each NIB through its owning network.

    ``order`` is the federation's network order, which decides ownership.
    """
    fingerprint = search.fingerprint()
    start = paging.decode(after, fingerprint) if after else None
    if first < 1 or (search.networks is not None and not search.networks):
        return IndexPage((), after, False)
    owners = _owners_of_matches if search.query.text else _owners_in_name_order
    owned = owners(search, order)
    statement = select(owned)
    if start is not None:
        name_key, _, nib = str(start.key).partition(_SEPARATOR)
        statement = statement.where(tuple_(owned.c.name_key, owned.c.nib) > tuple_(name_key, nib))
    statement = statement.order_by(owned.c.name_key, owned.c.nib).limit(first + 1)
    async with engine.connect() as conn:
        found = (await conn.execute(statement)).mappings().all()
    items = tuple(
        (
            rows.supplier_record(row),
            paging.encode(Position(0, f"{row['name_key']}{_SEPARATOR}{row['nib']}"), fingerprint),
        )
        for row in found[:first]
    )
    return IndexPage(items, items[-1][1] if items else after, len(found) > first)


def _rank(order: Sequence[str], network: ColumnElement[str]) -> ColumnElement[int]:
    """A network's place in the federation's order (unknown networks last)."""
    return case({code: n for n, code in enumerate(order)}, value=network, else_=len(order))


def _owners_in_name_order(search: IndexSupplierSearch, order: Sequence[str]) -> Subquery:
    """The owning listings, for a read in name order: a listing owns its NIB when no
    matching listing of that NIB comes first in (network order, id). Read along the name
    index, a page stops at its last owner: fast for filters that many listings pass."""
    s = catalog_suppliers.c
    other = catalog_suppliers.alias("other")
    rank, other_rank = _rank(order, s.network), _rank(order, other.c.network)
    ahead = or_(other_rank < rank, and_(other_rank == rank, other.c.id < s.id))
    elsewhere = exists(select(1).where(other.c.nib == s.nib, ahead, *_conditions(search, other)))
    return (
        select(catalog_suppliers)
        .where(*_conditions(search, catalog_suppliers), ~elsewhere)
        .subquery("owned")
    )


def _owners_of_matches(search: IndexSupplierSearch, order: Sequence[str]) -> Subquery:
    """The owning listings, numbered among the matches: for text, which no index serves
    (a substring of the name), so every listing is read once and only the few matches
    sorted, where a walk in name order would test every listing before an empty page."""
    s = catalog_suppliers.c
    number = func.row_number().over(partition_by=s.nib, order_by=(_rank(order, s.network), s.id))
    numbered = (
        select(catalog_suppliers, number.label("owner"))
        .where(*_conditions(search, catalog_suppliers))
        .subquery("numbered")
    )
    columns = [numbered.c[c.name] for c in catalog_suppliers.c]
    return select(*columns).where(numbered.c.owner == 1).subquery("owned")


async def listings(
    engine: AsyncEngine, nibs: Sequence[str], order: Sequence[str]
) -> dict[str, tuple[SupplierRecord, ...]]:
    """Every network's listing of each NIB, in the federation's order (the live
    ``Loaders.listings`` answer, from the index)."""
    s = catalog_suppliers.c
    rank = {code: n for n, code in enumerate(order)}
    found: dict[str, list[SupplierRecord]] = {nib: [] for nib in nibs}
    async with engine.connect() as conn:
        for start in range(0, len(nibs), 500):
            chunk = list(nibs[start : start + 500])
            result = await conn.execute(select(catalog_suppliers).where(and_(s.nib.in_(chunk))))
            for row in result.mappings():
                found[row["nib"]].append(rows.supplier_record(row))
    return {
        nib: tuple(sorted(listed, key=lambda r: (rank.get(r.network, len(rank)), r.id)))
        for nib, listed in found.items()
    }


async def suppliers_by_key(
    engine: AsyncEngine, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], SupplierRecord]:
    """The listings among ``keys`` (network, the network's supplier id) the index holds."""
    s = catalog_suppliers.c
    unique = sorted(set(keys))
    found: dict[tuple[str, str], SupplierRecord] = {}
    async with engine.connect() as conn:
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            result = await conn.execute(
                select(catalog_suppliers).where(tuple_(s.network, s.id).in_(chunk))
            )
            for row in result.mappings():
                found[(row["network"], row["id"])] = rows.supplier_record(row)
    return found
