"""Supplier search across networks, one supplier per NIB: from the index, or live."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.records import CertificationKind, Scale, SupplierQuery, SupplierRecord
from federation.index import Freshness
from federation.index.suppliers import IndexSupplierSearch
from federation.suppliers import SupplierSearch, search_suppliers
from resolvers import access, validation
from resolvers.catalog import answering_index
from resolvers.context import Context
from resolvers.paging import PageResult, page_result


@dataclass(frozen=True)
class SupplierPage:
    """One page of suppliers, each the owning network's listing; ``freshness`` is set
    when the index answered."""

    page: PageResult[SupplierRecord]
    freshness: tuple[Freshness, ...] | None = None


async def suppliers(
    context: Context,
    *,
    text: str | None,
    region_codes: list[str] | None,
    kbli: str | None,
    scale: Scale | None,
    certifications: tuple[CertificationKind, ...],
    verified_only: bool,
    networks: list[str] | None,
    first: int,
    after: str | None,
    live: bool,
) -> SupplierPage:
    """One page of suppliers; each item is the listing of the network that owns the NIB."""
    access.require(context, access.CATALOG_READ)
    federation = context.federation
    first = validation.page_size(first, federation.limits.max_page_size)
    query = SupplierQuery(
        text=validation.text(text),
        region_codes=tuple(validation.region(c) or c for c in region_codes or ()),
        kbli=validation.kbli(kbli),
        scale=scale,
        certifications=certifications,
        verified_only=verified_only,
    )
    chosen = validation.networks(federation, networks)
    if live:
        context.loaders.read_live()  # its listings and cooperatives live too
    index = await answering_index(context, live)
    if index is not None:
        found = await index.suppliers(IndexSupplierSearch(query, chosen), first, after)
        page = PageResult(found.items, found.end_cursor, found.has_next, after is not None, (), ())
        return SupplierPage(page, await index.freshness())
    request = SupplierSearch(query, chosen)
    merged = await search_suppliers(federation, context.loaders, request, first, after)
    context.report(("suppliers",), merged.outcomes)
    return SupplierPage(page_result(merged, request.fingerprint(), after))
