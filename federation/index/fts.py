"""A product search as SQL for each engine: SQLite FTS5 ``MATCH`` or PostgreSQL tsquery.

A search is asked tier by tier (see ``search.py``); each tier is one condition, and both
engines must pick exactly the same products for it:

* ``START``: the product's name begins with the whole query (one of its synonym variants);
* ``NAME``: every query group is in the name, and it is not ``START``;
* ``TEXT``: every group is in name or description, and it is not ``NAME`` (nor ``START``);
* ``ALL``: every group in name or description (price sorts, which ignore relevance).

Filters join every tier. On SQLite they are tokens of the FTS ``tags`` column, so the
engine answers them from its index and returns matches in rowid (price) order. On
PostgreSQL the condition here is the exact check each candidate from the postings
(``postings.py``) must pass, filters as plain column conditions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
    true,
)

from connectors.records import CertificationKind, ProductQuery
from federation.index import keys
from federation.index.tables import catalog_products, catalog_suppliers
from federation.index.text import TextQuery, tag

FTS_TABLE = "catalog_products_fts"


class Tier(StrEnum):
    START = "start"
    NAME = "name"
    TEXT = "text"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Filters:
    """The structured part of a search, as the index applies it."""

    query: ProductQuery
    networks: tuple[str, ...] | None
    certifications: tuple[CertificationKind, ...]

    def key_range(self) -> tuple[int | None, int | None]:
        """Price bounds as a range of product keys (keys sort by price)."""
        low = None if self.query.min_price is None else keys.price_floor(self.query.min_price)
        high = None if self.query.max_price is None else keys.price_ceiling(self.query.max_price)
        return low, high

    def impossible(self) -> bool:
        q = self.query
        return (
            (q.max_price is not None and q.max_price < 0)
            or (q.min_price is not None and q.max_price is not None and q.min_price > q.max_price)
            or (self.networks is not None and not self.networks)
        )


def supplier_condition(filters: Filters) -> ColumnElement[bool] | None:
    """The supplier-side conditions (id, certifications) as SQL on ``catalog_products``."""
    p = catalog_products.c
    parts: list[ColumnElement[bool]] = []
    if filters.query.supplier_id is not None:
        parts.append(p.supplier_id == filters.query.supplier_id)
    if filters.certifications:
        s = catalog_suppliers.c
        holds = [s.certification_text.like(f"% {kind.value} %") for kind in filters.certifications]
        parts.append(exists(select(1).where(s.network == p.network, s.id == p.supplier_id, *holds)))
    return and_(*parts) if parts else None


def tiers(query: TextQuery, relevance: bool) -> tuple[Tier, ...]:
    """The tiers a search reads, best first."""
    if query.empty or not relevance:
        return (Tier.ALL,)
    if query.variants():
        return (Tier.START, Tier.NAME, Tier.TEXT)
    return (Tier.NAME, Tier.TEXT)


# --- SQLite FTS5 -----------------------------------------------------------------------


def _phrase(words: Sequence[str], prefix: bool) -> str:
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def _groups_match(query: TextQuery) -> str:
    groups = []
    for n, group in enumerate(query.groups):
        options = [_phrase(phrase, query.is_prefix(n, phrase)) for phrase in group.phrases]
        groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def _start_match(query: TextQuery) -> str | None:
    variants = query.variants()
    if not variants:
        return None
    return " OR ".join("^" + _phrase(v, query.prefix) for v in variants)


def _tags_match(filters: Filters) -> str | None:
    q = filters.query
    parts: list[str] = []
    if filters.networks is not None:
        parts.append("(" + " OR ".join(f'"{tag("n", n)}"' for n in filters.networks) + ")")
    if q.category is not None:
        parts.append(f'"{tag("c", q.category)}"')
    if q.region_code is not None:
        parts.append(f'"{tag("r", q.region_code)}"')
    if q.in_stock is not None:
        parts.append('"sy"' if q.in_stock else '"sn"')
    return "tags : (" + " AND ".join(parts) + ")" if parts else None


def sqlite_match(query: TextQuery, tier: Tier, filters: Filters) -> str | None:
    """The FTS5 expression for one tier (None: no MATCH at all, read the table)."""
    tags = _tags_match(filters)
    if query.empty:
        return tags
    anywhere = "{search_name search_body} : (" + _groups_match(query) + ")"
    in_name = "search_name : (" + _groups_match(query) + ")"
    start = _start_match(query)
    at_start = None if start is None else f"search_name : ({start})"
    if tier is Tier.START:
        assert at_start is not None, "no START tier without variants (see tiers())"
        text_part = at_start
    elif tier is Tier.NAME:
        text_part = in_name if at_start is None else f"({in_name}) NOT ({at_start})"
    elif tier is Tier.TEXT:
        text_part = f"({anywhere}) NOT ({in_name})"
    else:
        text_part = anywhere
    return text_part if tags is None else f"({text_part}) AND {tags}"


# --- PostgreSQL ------------------------------------------------------------------------


def _tsquery(query: TextQuery) -> str:
    groups = []
    for n, group in enumerate(query.groups):
        options = []
        for phrase in group.phrases:
            words = list(phrase)
            if query.is_prefix(n, phrase):
                words[-1] = f"{words[-1]}:*"
            options.append(" <-> ".join(words))
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)


def _starts(query: TextQuery) -> ColumnElement[bool] | None:
    variants = query.variants()
    if not variants:
        return None
    name = catalog_products.c.search_name
    options: list[ColumnElement[bool]] = []
    for variant in variants:
        phrase = " ".join(variant)
        if query.prefix:
            options.append(name.like(f"{phrase}%"))
        else:
            options.append(or_(name == phrase, name.like(f"{phrase} %")))
    return or_(*options)


def _vector(column: str, query: TextQuery) -> ColumnElement[bool]:
    tsquery = func.to_tsquery(
        literal_column("'simple'::regconfig"), bindparam(None, _tsquery(query), String)
    )
    return literal_column(f"catalog_products.{column}").bool_op("@@")(tsquery)


def postgres_condition(query: TextQuery, tier: Tier, filters: Filters) -> ColumnElement[bool]:
    """The WHERE condition for one tier on ``catalog_products``."""
    p = catalog_products.c
    q = filters.query
    parts: list[ColumnElement[bool]] = []
    if not query.empty:
        start = _starts(query)
        if tier is Tier.START:
            assert start is not None, "no START tier without variants (see tiers())"
            parts.append(and_(_vector("name_vector", query), start))
        elif tier is Tier.NAME:
            parts.append(_vector("name_vector", query))
            if start is not None:
                parts.append(not_(start))
        elif tier is Tier.TEXT:
            parts.append(_vector("text_vector", query))
            parts.append(not_(_vector("name_vector", query)))
        else:
            parts.append(_vector("text_vector", query))
    if filters.networks is not None:
        parts.append(p.network.in_(filters.networks))
    if q.category is not None:
        parts.append(p.category == q.category)
    if q.region_code is not None:
        parts.append(or_(p.region_code == q.region_code, p.region_code.like(f"{q.region_code}.%")))
    if q.in_stock is True:
        parts.append(or_(p.stock.is_(None), p.stock > 0))
    elif q.in_stock is False:
        parts.append(and_(p.stock.is_not(None), p.stock <= 0))
    return and_(true(), *parts)


def postgres_tier(query: TextQuery) -> ColumnElement[int]:
    """The tier of a matching product as its number in ``tiers(query, True)``: for
    ranking every match in one statement, when a prefix stands for too many words for the
    postings to merge (``postings.TooManyWords``)."""
    ranked = tiers(query, True)
    start = _starts(query)
    whens: list[tuple[ColumnElement[bool], int]] = []
    if start is not None:
        whens.append((start, ranked.index(Tier.START)))
    whens.append((_vector("name_vector", query), ranked.index(Tier.NAME)))
    return case(*whens, else_=ranked.index(Tier.TEXT))
