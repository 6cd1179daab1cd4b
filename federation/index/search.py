"""Product search from the index: one ordered result over every network.

Order: relevance tiers (``fts.Tier``: name starts with the query, name holds it, text
holds it), then price, then a stable hash tie-break; that is exactly ascending product
``key`` within a tier, so each tier is read in index order and a page costs the same at
page 1 and page 1,000 (keyset paging). Price sorts ignore the tiers.

What matches and in which tier is defined once, in ``federation.matching`` (over
``text.match``), and the live path applies that definition to what networks return: the
SQL here (``fts.py``) must select exactly those products, which
``tests/federation/test_one_search_engine.py`` checks on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    bindparam,
    case,
    column,
    func,
    literal_column,
    select,
    table,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.records import CertificationKind, ProductRecord
from federation.index import fts, paging, postings, rows
from federation.index.fts import Filters, Tier
from federation.index.paging import IndexPage, Position
from federation.index.tables import catalog_products, catalog_suppliers
from federation.index.text import TextQuery, parse
from federation.ranking import ProductSearch, ProductSort

_FTS = table(fts.FTS_TABLE, column("rowid"))


# The one request type (``federation.ranking``), under the name the index's callers know.
IndexSearch = ProductSearch

FINGERPRINT = "index-products"


def _text(search: ProductSearch) -> TextQuery:
    return parse(search.query.text)


def _filters(search: ProductSearch) -> Filters:
    return Filters(search.query, search.networks, search.certifications)


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class ProductFacets:
    """Counts over the whole result (every page), as the live path's facets name them."""

    total: int
    categories: tuple[FacetCount, ...]
    regions: tuple[FacetCount, ...]
    networks: tuple[FacetCount, ...]
    certifications: tuple[FacetCount, ...]


async def search_products(
    engine: AsyncEngine, search: ProductSearch, first: int, after: str | None = None
) -> IndexPage[ProductRecord]:
    """The next ``first`` products after the cursor ``after``."""
    fingerprint = search.fingerprint(FINGERPRINT)
    start = paging.decode(after, fingerprint) if after else None
    if _filters(search).impossible() or first < 1:
        return IndexPage((), after, False)
    text_query = _text(search)
    tiers = fts.tiers(text_query, search.sort is ProductSort.RELEVANCE)
    descending = search.sort is ProductSort.PRICE_DESC
    found: list[tuple[ProductRecord, Position]] = []
    first_tier = start.tier if start is not None else 0
    async with engine.connect() as conn:
        read = await _tier_reader(conn, text_query, _filters(search), descending)
        if read is None:
            statement = _ranked_select(text_query, _filters(search), start).limit(first + 1)
            for row in (await conn.execute(statement)).mappings():
                found.append((rows.product_record(row), Position(row["tier"], row["key"])))
        else:
            for number in range(first_tier, len(tiers)):
                key = int(start.key) if start is not None and number == first_tier else None
                statement = read(tiers[number], key).limit(first + 1 - len(found))
                for row in (await conn.execute(statement)).mappings():
                    found.append((rows.product_record(row), Position(number, row["key"])))
                if len(found) > first:
                    break
    taken = found[:first]
    items = tuple((record, paging.encode(position, fingerprint)) for record, position in taken)
    end = items[-1][1] if items else after
    return IndexPage(items, end, len(found) > first)


async def product_facets(engine: AsyncEngine, search: ProductSearch) -> ProductFacets:
    """Total and facet counts over every product the search matches."""
    if _filters(search).impossible():
        return ProductFacets(0, (), (), (), ())
    async with engine.connect() as conn:
        base = _tier_select(
            conn, _text(search), Tier.ALL, None, filters=_filters(search), descending=False
        )
        matched = base.with_only_columns(
            catalog_products.c.network,
            catalog_products.c.supplier_id,
            catalog_products.c.category,
            catalog_products.c.region_code,
        ).subquery("matched")

        async def counts(name: str) -> tuple[FacetCount, ...]:
            field = matched.c[name]
            result = await conn.execute(select(field, func.count()).group_by(field))
            return _ordered((value, n) for value, n in result)

        total = int(await conn.scalar(select(func.count()).select_from(matched)) or 0)
        categories = await counts("category")
        regions = await counts("region_code")
        networks = await counts("network")
        s = catalog_suppliers.c
        kinds = list(CertificationKind)
        result = await conn.execute(
            select(
                *(
                    func.coalesce(
                        func.sum(case((s.certification_text.like(f"% {k.value} %"), 1), else_=0)),
                        0,
                    )
                    for k in kinds
                )
            ).select_from(
                matched.join(
                    catalog_suppliers,
                    (s.network == matched.c.network) & (s.id == matched.c.supplier_id),
                )
            )
        )
        sums = result.one()
        certifications = _ordered((k.value, int(n)) for k, n in zip(kinds, sums, strict=True))
    return ProductFacets(total, categories, regions, networks, certifications)


def _ordered(pairs: Iterable[tuple[Any, Any]]) -> tuple[FacetCount, ...]:
    counted = [FacetCount(str(v), int(n)) for v, n in pairs if n]
    return tuple(sorted(counted, key=lambda f: (-f.count, f.value)))


TierReader = Callable[[Tier, int | None], Select[tuple[object, ...]]]


async def _tier_reader(
    conn: AsyncConnection, text_query: TextQuery, filters: Filters, descending: bool
) -> TierReader | None:
    """How to read one tier in key order after a key: FTS5 on SQLite, the postings on
    PostgreSQL (plain conditions for a search without text or category). None:
    PostgreSQL, with a prefix that stands for too many words to merge; rank every match
    at once instead."""
    plain = partial(_tier_select, conn, text_query, filters=filters, descending=descending)
    category = filters.query.category
    if conn.dialect.name == "sqlite" or (text_query.empty and category is None):
        return plain
    words: postings.Words | None = None
    if not text_query.empty:
        try:
            words = await postings.Words.of(conn, text_query)
        except postings.TooManyWords:
            # A price sort reads one tier, which plain conditions serve as well.
            return plain if descending else None
    await postings.plan_for_postings(conn)
    low, high = filters.key_range()

    def read(tier: Tier, after_key: int | None) -> Select[tuple[object, ...]]:
        bounds = postings.Bounds(after_key, low, high, descending)
        if words is not None:
            found = postings.candidates(words, tier, bounds)
        else:
            assert category is not None
            found = postings.category_candidates(category, bounds)
        return postings.checked_rows(found, text_query, tier, filters, bounds)

    return read


def _ranked_select(
    text_query: TextQuery, filters: Filters, start: Position | None
) -> Select[tuple[object, ...]]:
    """PostgreSQL: every match at once, ordered by (tier, key), after ``start``."""
    p = catalog_products
    tier = fts.postgres_tier(text_query).label("tier")
    conditions: list[ColumnElement[bool]] = [fts.postgres_condition(text_query, Tier.ALL, filters)]
    supplier = fts.supplier_condition(filters)
    if supplier is not None:
        conditions.append(supplier)
    low, high = filters.key_range()
    if low is not None:
        conditions.append(p.c.key >= low)
    if high is not None:
        conditions.append(p.c.key <= high)
    ranked = select(p, tier).where(*conditions).subquery("ranked")
    statement = select(ranked)
    if start is not None:
        statement = statement.where(
            tuple_(ranked.c.tier, ranked.c.key) > tuple_(start.tier, int(start.key))
        )
    return statement.order_by(ranked.c.tier, ranked.c.key)


def _tier_select(
    conn: AsyncConnection,
    text_query: TextQuery,
    tier: Tier,
    after_key: int | None,
    *,
    filters: Filters,
    descending: bool,
) -> Select[tuple[object, ...]]:
    """Products of one tier in key order, after ``after_key``."""
    p = catalog_products
    conditions: list[ColumnElement[bool]] = []
    key: ColumnElement[int]
    if conn.dialect.name == "sqlite":
        match = fts.sqlite_match(text_query, tier, filters)
        if match is None:
            statement = select(p)
            key = p.c.key
        else:
            statement = select(p).select_from(_FTS.join(p, p.c.key == _FTS.c.rowid))
            key = _FTS.c.rowid
            conditions.append(
                literal_column(fts.FTS_TABLE).bool_op("MATCH")(bindparam(None, match, String))
            )
    else:
        statement = select(p)
        key = p.c.key
        conditions.append(fts.postgres_condition(text_query, tier, filters))
    supplier = fts.supplier_condition(filters)
    if supplier is not None:
        conditions.append(supplier)
    low, high = filters.key_range()
    if low is not None:
        conditions.append(key >= low)
    if high is not None:
        conditions.append(key <= high)
    if after_key is not None:
        conditions.append(key < after_key if descending else key > after_key)
    return statement.where(*conditions).order_by(key.desc() if descending else key.asc())
