"""Product search: arguments checked, then the catalog index or the live fan-out.

One ``ProductSearch`` goes to either; both answer it with the same meaning
(``federation.matching``). The index answers by default once every network has been
loaded into it; ``live`` (or a hub without an index, or one still on its first load) asks
the networks themselves. ``networks`` says which did: INDEXED/STALE from the index,
OK/TIMEOUT/ERROR/SKIPPED live.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

from connectors.records import CertificationKind, ProductQuery, ProductRecord
from federation.index import Freshness
from federation.index.catalog import CatalogIndex
from federation.ranking import ProductSearch, ProductSort
from federation.search import FINGERPRINT, search_products
from resolvers import access, validation
from resolvers.context import Context
from resolvers.paging import PageResult, page_result

Counts = tuple[tuple[str, int], ...]  # (value, count), most common first


@dataclass(frozen=True)
class FacetCounts:
    categories: Counts
    regions: Counts
    networks: Counts
    certifications: Counts


class WindowFacets:
    """Facets over the live path's window: every product it matched, as the index counts."""

    def __init__(self, window: tuple[ProductRecord, ...]) -> None:
        self.window = window

    async def counts(self, context: Context) -> FacetCounts:
        keys = [(p.network, p.supplier_id) for p in self.window]
        suppliers = await context.loaders.suppliers.load_many(keys)
        certified: Counter[str] = Counter()
        for supplier in suppliers:
            if supplier is not None:
                certified.update({c.kind.value for c in supplier.certifications})
        return FacetCounts(
            categories=_common(Counter(p.category for p in self.window)),
            regions=_common(Counter(p.region_code for p in self.window)),
            networks=_common(Counter(p.network for p in self.window)),
            certifications=_common(certified),
        )


@dataclass
class IndexFacets:
    """Facets over the whole result, counted by the index only when a field asks."""

    index: CatalogIndex
    search: ProductSearch
    _counted: asyncio.Task[FacetCounts] | None = field(default=None, init=False)

    async def counts(self, context: Context) -> FacetCounts:
        if self._counted is None:  # four facet fields, one count
            self._counted = asyncio.ensure_future(self._count())
        return await self._counted

    async def _count(self) -> FacetCounts:
        facets = await self.index.facets(self.search)
        return FacetCounts(
            categories=tuple((f.value, f.count) for f in facets.categories),
            regions=tuple((f.value, f.count) for f in facets.regions),
            networks=tuple((f.value, f.count) for f in facets.networks),
            certifications=tuple((f.value, f.count) for f in facets.certifications),
        )


@dataclass(frozen=True)
class SearchPage:
    """One page of products; ``freshness`` is set when the index answered."""

    page: PageResult[ProductRecord]
    facets: WindowFacets | IndexFacets
    freshness: tuple[Freshness, ...] | None = None


async def search(
    context: Context,
    *,
    text: str | None,
    category: str | None,
    region_code: str | None,
    min_price: int | None,
    max_price: int | None,
    in_stock: bool | None,
    certifications: tuple[CertificationKind, ...],
    networks: list[str] | None,
    sort: ProductSort,
    first: int,
    after: str | None,
    live: bool,
) -> SearchPage:
    """One page of products from every network, merged and ranked (catalog:read)."""
    access.require(context, access.CATALOG_READ)
    federation = context.federation
    first = validation.page_size(first, federation.limits.max_page_size)
    validation.price_range(min_price, max_price)
    query = ProductQuery(
        text=validation.text(text),
        category=validation.category(category),
        region_code=validation.region(region_code),
        min_price=min_price,
        max_price=max_price,
        in_stock=in_stock,
    )
    request = ProductSearch(query, sort, validation.networks(federation, networks), certifications)
    index = await answering_index(context, live)
    if index is not None:
        found = await index.search(request, first, after)
        page = PageResult(found.items, found.end_cursor, found.has_next, after is not None, (), ())
        return SearchPage(page, IndexFacets(index, request), await index.freshness())
    merged = await search_products(federation, context.loaders, request, first, after)
    context.report(("search",), merged.outcomes)
    if first == 0:
        # No network was asked (``search_products``): the same page as the index's
        # ``first: 0``, ending where it started with nothing known to follow.
        result: PageResult[ProductRecord] = PageResult(
            (), after, False, after is not None, merged.outcomes, ()
        )
    else:
        result = page_result(merged, request.fingerprint(FINGERPRINT), after)
    return SearchPage(result, WindowFacets(result.window))


async def answering_index(context: Context, live: bool) -> CatalogIndex | None:
    """The index, when it answers this request: not ``live``, and loaded for every network."""
    index = context.services.index
    if live or index is None or not await index.ready():
        return None
    return index


def networks(context: Context) -> list[str]:
    """The codes of every network the hub federates, in order (catalog:read)."""
    access.require(context, access.CATALOG_READ)
    return list(context.federation.codes)


async def freshness(context: Context) -> dict[str, Freshness]:
    """Each network's part of the index, by code; empty in a hub without an index."""
    index = context.services.index
    return {f.network: f for f in await index.freshness()} if index is not None else {}


def _common(counts: Counter[str]) -> Counts:
    return tuple(counts.most_common())
