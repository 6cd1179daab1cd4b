"""One search engine: which products a ``ProductSearch`` finds, in which order, on both paths.

The catalog index answers with SQL (``federation/index/fts.py``: FTS5 on SQLite, postings
and tsvectors on PostgreSQL); the live path asks the networks broadly
(``native_queries``) and decides here, in Python, over what they return: ``tier_of``
(from ``text.match``, tiers as ``fts.tiers`` orders them) and ``rank`` (tier, then the
index's product key: price, then a stable hash). Whatever answers, a search means the
same: ``tests/federation/test_one_search_engine.py`` compares the two.
"""

from __future__ import annotations

from dataclasses import replace

from connectors.records import ProductQuery, ProductRecord
from federation.filters import parsed, product_matches
from federation.index import fts, keys
from federation.index.fts import Tier
from federation.index.text import TextQuery, anchor, document, match, words
from federation.ranking import ProductSearch, ProductSort
from networks.common.catalog import CATEGORY_BY_SLUG

Rank = tuple[int | str, ...]

# A network whose ``text`` filter matches a substring of name or description (case
# aside) declares "text" among its product filters; others are asked without text.
TEXT_FILTER = "text"

# The words of each category slug, as the index's body holds them.
_CATEGORY_WORDS: dict[str, list[str]] = {
    slug: words(slug.replace("-", " ")) for slug in CATEGORY_BY_SLUG
}


def tier_of(text: TextQuery, product: ProductRecord, relevance: bool = True) -> Tier | None:
    """The index tier ``product`` falls in for ``text`` (``fts.tiers``), None: no match.

    START: the name begins with the query; NAME: every group in the name; TEXT: every
    group in name, description or category. Without relevance (price sorts) or text,
    every match is ALL.
    """
    found = match(text, *document(product.name, product.description, product.category))
    if not found.anywhere:
        return None
    for tier in fts.tiers(text, relevance):
        if tier is Tier.START and found.start:
            return tier
        if tier is Tier.NAME and found.name:
            return tier
        if tier in (Tier.TEXT, Tier.ALL):
            return tier
    return None


def rank(search: ProductSearch, text: TextQuery, product: ProductRecord) -> Rank:
    """Where ``product`` (a match) comes in the index's order; smaller first.

    The index orders by (tier, key) with key = price then a hash of (network, id)
    (``keys``); a price sort by key alone. Network and id end every rank, so two
    products never tie.
    """
    key = keys.key(product.price, keys.seq(product.network, product.id))
    if search.sort is ProductSort.PRICE_ASC:
        return (key, product.network, product.id)
    if search.sort is ProductSort.PRICE_DESC:
        return (-key, product.network, product.id)
    tier = tier_of(text, product)
    order = fts.tiers(text, True)
    return (order.index(tier) if tier in order else 0, key, product.network, product.id)


def keeps(search: ProductSearch, product: ProductRecord) -> bool:
    """Every field of ``search.query``, text included (certifications are the caller's:
    they need the supplier)."""
    return (search.networks is None or product.network in search.networks) and product_matches(
        search.query, product
    )


def native_queries(query: ProductQuery, searches_text: bool) -> tuple[ProductQuery, ...]:
    """The queries to ask one network so that together they return every match.

    Structured fields go down as they are (each connector sends what its network filters
    exactly and leaves the rest to the hub). Text goes down only to a network whose text
    search covers names and descriptions (``searches_text``), as each spelling of one
    group's words (``text.anchor``), plus each category the words name (the index also
    matches a product's category). Otherwise, or for an empty text, one query without
    text: the hub matches the text itself.
    """
    structured = replace(query, text=None)
    chosen = anchor(parsed(query.text)) if searches_text else None
    if chosen is None:
        return (structured,)
    asked = [replace(structured, text=spelling) for spelling in sorted(chosen.spellings())]
    for slug, found in _CATEGORY_WORDS.items():
        if chosen.in_words(found) and query.category in (None, slug):
            asked.append(replace(structured, category=slug))
    # A category query equal to the structured one already returns everything else.
    return (structured,) if structured in asked else tuple(asked)
