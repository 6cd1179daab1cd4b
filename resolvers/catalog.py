"""Product search: arguments checked, then the federated search."""

from __future__ import annotations

from connectors.records import CertificationKind, ProductQuery, ProductRecord
from federation.ranking import ProductSort
from federation.search import ProductSearch, search_products
from resolvers import access, validation
from resolvers.context import Context
from resolvers.paging import PageResult, page_result


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
) -> PageResult[ProductRecord]:
    """One page of products from every network, merged and ranked (catalog:read)."""
    access.require(context, access.CATALOG_READ)
    federation = context.federation
    first = validation.page_size(first, federation.limits.max_page_size)
    validation.price_range(min_price, max_price)
    request = ProductSearch(
        query=ProductQuery(
            text=validation.text(text),
            category=validation.category(category),
            region_code=validation.region(region_code),
            min_price=min_price,
            max_price=max_price,
            in_stock=in_stock,
        ),
        sort=sort,
        networks=validation.networks(federation, networks),
        certifications=certifications,
    )
    merged = await search_products(federation, context.loaders, request, first, after)
    context.report(("search",), merged.outcomes)
    return page_result(merged, request.fingerprint(), after)


def networks(context: Context) -> list[str]:
    """The codes of every network the hub federates, in order (catalog:read)."""
    access.require(context, access.CATALOG_READ)
    return list(context.federation.codes)
