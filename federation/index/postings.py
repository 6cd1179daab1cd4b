"""PostgreSQL: a tier's matches read in key (price) order from the product postings.

GIN finds the products a tsquery matches but hands them out in storage order, so a page
in key order costs time in proportion to every match (a whole second for a common word
at a million products). ``catalog_terms`` (migration 0007) holds each product's words
as ``(term, key)`` rows of one B-tree, so a word's products come out in key order, as
FTS5's doclists do on SQLite. A tier's *candidates* are such runs merged and intersected
in key order; each candidate then meets the tier's exact condition
(``fts.postgres_condition``) before it counts, so the runs need only hold every product
of the tier, and a page stops reading as soon as it is full.

Terms are a word with where it stands: ``0:`` to ``3:`` for the first four words of the
name, ``n:`` for any word of the name, ``b:`` for a word of the description or category
that is not in the name; and ``c:`` with a category's slug, the candidates of a search
by category alone. Candidates per tier (``fts.Tier``):

* ``START``: each variant's words at their positions (``n:`` past the fourth);
* ``NAME``: every group with one of its phrases' words all in the name;
* ``TEXT``: one group with a phrase word only in the body, every other group anywhere
  (when every phrase is one word; otherwise every group anywhere);
* ``ALL``: every group anywhere.

PostgreSQL's planner would otherwise hash-join or sort these runs (it cannot know a page
needs only their first keys), so the read runs with hash joins, sorts and nested loops
(bar the one that fetches each candidate's row) switched off for its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    FromClause,
    Select,
    Text,
    column,
    false,
    select,
    table,
    text,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from federation.index import fts
from federation.index.fts import Filters, Tier
from federation.index.tables import catalog_products
from federation.index.text import TextQuery

TERMS = table("catalog_terms", column("term", Text), column("key", BigInteger))

POSITIONS = 4  # name positions with their own terms (0: .. 3:)
MAX_EXPANSIONS = 64  # words a prefix may stand for before the search falls back to GIN

_PLAN = text(
    "SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_hashagg', 'off', true),"
    " set_config('enable_sort', 'off', true), set_config('enable_nestloop', 'off', true),"
    " set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),"
    " set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"
)

# The kinds of term a prefix is looked up under: every word is in the name or the body.
_PREFIX_KINDS = ("n", "b")


def _distinct_terms(kind: str) -> str:
    """A recursive query for the distinct terms in [:{kind}_low, :{kind}_high): one B-tree
    descent per term, where a plain DISTINCT would read every posting in the range."""
    walk = f"walk_{kind}"
    return f"""{walk}(term) AS (
        (SELECT term FROM catalog_terms WHERE term >= :{kind}_low AND term < :{kind}_high
         ORDER BY term LIMIT 1)
        UNION ALL
        SELECT (SELECT t.term FROM catalog_terms t
                WHERE t.term > {walk}.term AND t.term < :{kind}_high ORDER BY t.term LIMIT 1)
        FROM {walk} WHERE {walk}.term IS NOT NULL
    )"""


_EXPAND = text(
    "WITH RECURSIVE "
    + ", ".join(_distinct_terms(kind) for kind in _PREFIX_KINDS)
    + " UNION ALL ".join(
        f" (SELECT term FROM walk_{kind} WHERE term IS NOT NULL LIMIT :limit)"
        for kind in _PREFIX_KINDS
    )
)


@dataclass(frozen=True, slots=True)
class Bounds:
    """Which keys a run may yield, and in which direction it is read."""

    after: int | None
    low: int | None
    high: int | None
    descending: bool

    def order(self, key: ColumnElement[int]) -> ColumnElement[int]:
        return key.desc() if self.descending else key.asc()

    def conditions(self, key: ColumnElement[int]) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.after is not None:
            found.append(key < self.after if self.descending else key > self.after)
        if self.low is not None:
            found.append(key >= self.low)
        if self.high is not None:
            found.append(key <= self.high)
        return found


class TooManyWords(Exception):
    """A prefix stands for more than ``MAX_EXPANSIONS`` words."""


@dataclass(frozen=True, slots=True)
class Words:
    """The query's words as the index holds them: its prefix as every word it begins."""

    query: TextQuery
    expansions: dict[str, tuple[str, ...]]

    @classmethod
    async def of(cls, conn: AsyncConnection, query: TextQuery) -> Words:
        """Look up the words the query's prefix begins (``TooManyWords`` past the limit)."""
        expansions: dict[str, tuple[str, ...]] = {}
        for n, group in enumerate(query.groups):
            for phrase in group.phrases:
                if query.is_prefix(n, phrase) and phrase[-1] not in expansions:
                    expansions[phrase[-1]] = await _expand(conn, phrase[-1])
        return cls(query, expansions)

    def of_phrase(self, group: int, phrase: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Each word of a group's phrase as the indexed words it stands for."""
        return self._spelt(phrase, self.query.is_prefix(group, phrase))

    def of_variant(self, variant: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Each word of a whole-query variant (``TextQuery.variants``) likewise."""
        return self._spelt(variant, self.query.prefix)

    def _spelt(self, phrase: tuple[str, ...], prefix: bool) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = [(word,) for word in phrase]
        if prefix:
            found[-1] = self.expansions[phrase[-1]]
        return found


async def _expand(conn: AsyncConnection, prefix: str) -> tuple[str, ...]:
    bounds: dict[str, str | int] = {"limit": MAX_EXPANSIONS + 1}
    for kind in _PREFIX_KINDS:
        # Words are [a-z0-9]: every term beginning "n:arab" sorts below "n:arab{".
        bounds[f"{kind}_low"] = f"{kind}:{prefix}"
        bounds[f"{kind}_high"] = f"{kind}:{prefix}{{"
    result = await conn.execute(_EXPAND, bounds)
    words = {term.split(":", 1)[1] for term in result.scalars()}
    if len(words) > MAX_EXPANSIONS:
        raise TooManyWords(prefix)
    return tuple(sorted(words))


async def plan_for_postings(conn: AsyncConnection) -> None:
    """Switch the transaction's planner to merging runs (see the module docstring)."""
    await conn.execute(_PLAN)


def candidates(words: Words, tier: Tier, bounds: Bounds) -> Select[tuple[int]]:
    """The keys that may be in ``tier``, in key order (see the module docstring)."""
    streams = _Streams(bounds)
    query = words.query
    if tier is Tier.START:
        return streams.any(
            streams.all(
                streams.terms(_position_term(i, w) for w in options)
                for i, options in enumerate(words.of_variant(variant))
            )
            for variant in query.variants()
        )

    def group(n: int, kinds: Sequence[str]) -> Select[tuple[int]]:
        """Keys where one of group ``n``'s phrases has every word under one of ``kinds``."""
        return streams.any(
            streams.all(
                streams.terms(f"{kind}:{w}" for w in options for kind in kinds)
                for options in words.of_phrase(n, phrase)
            )
            for phrase in query.groups[n].phrases
        )

    numbers = range(len(query.groups))
    if tier is Tier.NAME:
        return streams.all(group(n, ("n",)) for n in numbers)
    if tier is Tier.TEXT and all(len(p) == 1 for g in query.groups for p in g.phrases):
        # Not all in the name means some group's word is in the body alone: a short run.
        anywhere = [group(n, ("n", "b")) for n in numbers]
        return streams.any(
            streams.all([group(n, ("b",)), *anywhere[:n], *anywhere[n + 1 :]]) for n in numbers
        )
    return streams.all(group(n, ("n", "b")) for n in numbers)


def category_candidates(category: str, bounds: Bounds) -> Select[tuple[int]]:
    """The keys of one category's products, in key order."""
    return _Streams(bounds).terms([f"c:{category}"])


def checked_rows(
    found: Select[tuple[int]],
    query: TextQuery,
    tier: Tier,
    filters: Filters,
    bounds: Bounds,
) -> Select[tuple[object, ...]]:
    """The products of ``tier`` among the candidate keys ``found``, in key order: each
    candidate's row fetched by key and checked against the tier's exact condition."""
    keys = found.subquery("candidate")
    p = catalog_products
    checks = [p.c.key == keys.c.key, fts.postgres_condition(query, tier, filters)]
    supplier = fts.supplier_condition(filters)
    if supplier is not None:
        checks.append(supplier)
    # OFFSET 0 keeps the row look-up a lateral subquery: one index probe per candidate.
    row = select(p).where(*checks).offset(0).lateral("product")
    return select(row).select_from(keys.join(row, true())).order_by(bounds.order(keys.c.key))


def _position_term(position: int, word: str) -> str:
    return f"{position}:{word}" if position < POSITIONS else f"n:{word}"


class _Streams:
    """Key streams over the postings within ``bounds``. Each is ordered by key, every
    part of a union too: that is what lets the planner merge them (Merge Append, Merge
    Join) rather than sort what they return."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds

    def terms(self, terms: Iterable[str]) -> Select[tuple[int]]:
        """Keys holding any of ``terms``."""
        return self.any(self._run(term) for term in terms)

    def any(self, streams: Iterable[Select[tuple[int]]]) -> Select[tuple[int]]:
        """Keys in any of ``streams``, once each."""
        parts = list(streams)
        if not parts:  # a prefix no indexed word begins
            return select(TERMS.c.key).where(false())
        if len(parts) == 1:
            return parts[0]
        merged = union_all(*parts).subquery()
        return select(merged.c.key).distinct().order_by(self.bounds.order(merged.c.key))

    def all(self, streams: Iterable[Select[tuple[int]]]) -> Select[tuple[int]]:
        """Keys in every one of ``streams``."""
        parts = [stream.subquery() for stream in streams]
        first = parts[0]
        joined: FromClause = first
        for other in parts[1:]:
            joined = joined.join(other, other.c.key == first.c.key)
        return select(first.c.key).select_from(joined).order_by(self.bounds.order(first.c.key))

    def _run(self, term: str) -> Select[tuple[int]]:
        key = TERMS.c.key
        statement = select(key).where(TERMS.c.term == term, *self.bounds.conditions(key))
        return statement.order_by(self.bounds.order(key))
