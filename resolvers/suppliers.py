"""Supplier search across networks, one supplier per NIB."""

from __future__ import annotations

from connectors.records import CertificationKind, Scale, SupplierQuery, SupplierRecord
from federation.suppliers import SupplierSearch, search_suppliers
from resolvers import access, validation
from resolvers.context import Context
from resolvers.paging import PageResult, page_result


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
) -> PageResult[SupplierRecord]:
    """One page of suppliers; each item is the listing of the network that owns the NIB."""
    access.require(context, access.CATALOG_READ)
    federation = context.federation
    first = validation.page_size(first, federation.limits.max_page_size)
    request = SupplierSearch(
        query=SupplierQuery(
            text=validation.text(text),
            region_codes=tuple(validation.region(c) or c for c in region_codes or ()),
            kbli=validation.kbli(kbli),
            scale=scale,
            certifications=certifications,
            verified_only=verified_only,
        ),
        networks=validation.networks(federation, networks),
    )
    merged = await search_suppliers(federation, context.loaders, request, first, after)
    context.report(("suppliers",), merged.outcomes)
    return page_result(merged, request.fingerprint(), after)
