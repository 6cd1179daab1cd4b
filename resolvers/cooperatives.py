"""Cooperative search across networks."""

from __future__ import annotations

from connectors.records import CooperativeQuery, CooperativeRecord
from federation.cooperatives import CooperativeSearch, search_cooperatives
from resolvers import access, validation
from resolvers.context import Context
from resolvers.paging import PageResult, page_result


async def cooperatives(
    context: Context,
    *,
    text: str | None,
    type: str | None,
    region_code: str | None,
    networks: list[str] | None,
    first: int,
    after: str | None,
) -> PageResult[CooperativeRecord]:
    """One page of cooperatives from every network, by name."""
    access.require(context, access.CATALOG_READ)
    federation = context.federation
    first = validation.page_size(first, federation.limits.max_page_size)
    request = CooperativeSearch(
        query=CooperativeQuery(
            text=validation.text(text), type=type, region_code=validation.region(region_code)
        ),
        networks=validation.networks(federation, networks),
    )
    merged = await search_cooperatives(federation, request, first, after)
    context.report(("cooperatives",), merged.outcomes)
    return page_result(merged, request.fingerprint(), after)
