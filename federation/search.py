"""Federated product search: every network at once, merged, ranked, paged exactly once.

The live path means what the catalog index means (``federation.matching``): each network
is asked with the widest native queries that drop no match (``matching.native_queries``),
read to the end, and the hub keeps and ranks what came back with the shared matcher, so a
search finds the same products in the same order whichever path answers. A network's
position in a cursor is the rank of the last product taken from it (keyset paging: a
product added or removed meanwhile moves nothing else). The price of that exactness: every
page reads each network's candidates in full, within the deadline.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

from connectors.base import Connector
from connectors.records import Page, ProductQuery, ProductRecord
from federation import cursor, matching
from federation.errors import InputError
from federation.fanout import NetworkOutcome, NetworkStatus
from federation.filters import has_certifications, parsed
from federation.hub import Federation
from federation.loaders import Loaders
from federation.matching import Rank
from federation.merge import Merged, merge_page
from federation.ranking import ProductSearch, ProductSort

EMPTY_PAGE = "not asked: an empty page (first: 0)"
# Positions are ranks now, not the networks' offsets: cursors of the old kind are refused.
FINGERPRINT = "products/ranked"

__all__ = ["EMPTY_PAGE", "FINGERPRINT", "ProductSearch", "empty_page", "search_products"]


async def search_products(
    federation: Federation, loaders: Loaders, search: ProductSearch, first: int, after: str | None
) -> Merged[ProductRecord]:
    """The next ``first`` products after the cursor ``after``.

    The result's ``window`` is every product the search matches at the networks that
    answered (not only those after the cursor): the facets' base, as the index's.
    """
    fingerprint = search.fingerprint(FINGERPRINT)
    state = cursor.decode(after, fingerprint) if after else cursor.MergeState()
    if first < 1:
        # An empty page needs nobody: never ask a network for zero items (some refuse).
        return empty_page(federation, state)
    text = parsed(search.query.text)
    shape = 2 if search.sort is ProductSort.RELEVANCE else 1  # ints before network and id
    starts = {code: _decode(state.position(code), shape) for code in federation.codes}
    ranks: dict[tuple[str, str], Rank] = {}
    matched: dict[str, tuple[ProductRecord, ...]] = {}

    def rank(product: ProductRecord) -> Rank:
        found = ranks.get((product.network, product.id))
        if found is None:
            found = ranks[product.network, product.id] = matching.rank(search, text, product)
        return found

    async def fetch(connector: Connector, position: str | None, limit: int) -> Page[ProductRecord]:
        ranked = sorted(await _matches(connector, search, loaders), key=rank)
        matched[connector.code] = tuple(ranked)
        start = starts[connector.code]
        rest = [p for p in ranked if start is None or rank(p) > start]
        # Every remaining match at once: the merge takes what the page needs.
        return Page(tuple(rest), tuple(json.dumps(rank(p)) for p in rest), has_more=False)

    merged = await merge_page(federation, fetch, state, first, key=rank, only=search.networks)
    window = tuple(p for code in federation.codes for p in matched.get(code, ()))
    return replace(merged, window=window)


async def _matches(
    connector: Connector, search: ProductSearch, loaders: Loaders
) -> list[ProductRecord]:
    """Every product of ``connector`` the search matches (certifications included)."""
    searches_text = matching.TEXT_FILTER in connector.capabilities.product_filters
    asked = matching.native_queries(search.query, searches_text)
    pages = await asyncio.gather(*(_every(connector, query) for query in asked))
    candidates = {p.id: p for page in pages for p in page}
    kept = [p for p in candidates.values() if matching.keeps(search, p)]
    if not search.certifications or not kept:
        return kept
    # Certifications belong to suppliers: fetch the candidates' in one batch, within the
    # same deadline, and keep them for the supplier field.
    suppliers = await connector.get_suppliers(sorted({p.supplier_id for p in kept}))
    loaders.prime_suppliers(list(suppliers.values()))
    return [
        p for p in kept if has_certifications(suppliers.get(p.supplier_id), search.certifications)
    ]


async def _every(connector: Connector, query: ProductQuery) -> list[ProductRecord]:
    """Every product the network returns for ``query``, page after page."""
    found: list[ProductRecord] = []
    after: str | None = None
    while True:
        page = await connector.search_products(query, after, connector.capabilities.max_page_size)
        found.extend(page.items)
        if not page.has_more or not page.items:
            # No items yet more: a network shrinking under us; stop rather than loop.
            return found
        after = page.positions[-1]


def _decode(position: str | None, numbers: int) -> Rank | None:
    """The rank a cursor's position holds (the last product taken from that network):
    ``numbers`` integers, then network and id, as ``matching.rank`` makes them."""
    if position is None:
        return None
    try:
        value = json.loads(position)
    except ValueError:
        value = None
    if (
        not isinstance(value, list)
        or len(value) != numbers + 2
        or not all(type(v) is int for v in value[:numbers])
        or not all(isinstance(v, str) for v in value[numbers:])
    ):
        raise InputError("`after` is not a cursor this API issued")
    return tuple(value)


def empty_page(federation: Federation, state: cursor.MergeState) -> Merged[ProductRecord]:
    """Nothing taken and ``state`` unchanged, every network SKIPPED: the ``first: 0`` page."""
    skipped: tuple[NetworkOutcome[Page[ProductRecord]], ...] = tuple(
        NetworkOutcome(code, NetworkStatus.SKIPPED, 0.0, message=EMPTY_PAGE)
        for code in federation.codes
    )
    return Merged((), state, skipped, ())
