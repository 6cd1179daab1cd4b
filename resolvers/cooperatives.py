"""Cooperative search across networks: from the index, or live."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.records import CooperativeQuery, CooperativeRecord
from federation.cooperatives import CooperativeSearch, search_cooperatives
from federation.index import Freshness
from federation.index.cooperatives import IndexCooperativeSearch
from resolvers import access, validation
from resolvers.catalog import answering_index
from resolvers.context import Context
from resolvers.paging import PageResult, page_result


@dataclass(frozen=True)
class CooperativePage:
    """One page of cooperatives; ``freshness`` is set when the index answered."""

    page: PageResult[CooperativeRecord]
    freshness: tuple[Freshness, ...] | None = None


async def cooperatives(
    context: Context,
    *,
    text: str | None,
    type: str | None,
    region_code: str | None,
    networks: list[str] | None,
    first: int,
    after: str | None,
) -> CooperativePage:
    """One page of cooperatives from every network, by name: from the index once it is
    loaded (no network asked, a network that is down only STALE), else live."""
    access.require(context, access.CATALOG_READ)
    federation = context.federation
    first = validation.page_size(first, federation.limits.max_page_size)
    query = CooperativeQuery(
        text=validation.text(text), type=type, region_code=validation.region(region_code)
    )
    chosen = validation.networks(federation, networks)
    index = await answering_index(context, live=False)
    if index is not None:
        found = await index.cooperatives(IndexCooperativeSearch(query, chosen), first, after)
        page = PageResult(found.items, found.end_cursor, found.has_next, after is not None, (), ())
        return CooperativePage(page, await index.freshness())
    request = CooperativeSearch(query=query, networks=chosen)
    merged = await search_cooperatives(federation, request, first, after)
    context.report(("cooperatives",), merged.outcomes)
    return CooperativePage(page_result(merged, request.fingerprint(), after))
