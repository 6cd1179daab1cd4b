"""Federated product search: every network at once, merged, ranked, paged exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.base import Connector
from connectors.records import CertificationKind, Page, ProductQuery, ProductRecord
from federation import cursor
from federation.fanout import NetworkOutcome, NetworkStatus
from federation.filters import has_certifications, product_matches
from federation.hub import Federation
from federation.loaders import Loaders
from federation.merge import Merged, merge_page
from federation.ranking import ProductSort, product_key

EMPTY_PAGE = "not asked: an empty page (first: 0)"


@dataclass(frozen=True)
class ProductSearch:
    """One search as a caller asked it."""

    query: ProductQuery
    sort: ProductSort = ProductSort.RELEVANCE
    networks: tuple[str, ...] | None = None
    certifications: tuple[CertificationKind, ...] = ()

    def fingerprint(self) -> str:
        return cursor.fingerprint(
            "products", self.query, self.sort, self.networks, self.certifications
        )


async def search_products(
    federation: Federation, loaders: Loaders, search: ProductSearch, first: int, after: str | None
) -> Merged[ProductRecord]:
    """The next ``first`` products after the cursor ``after``."""
    fingerprint = search.fingerprint()
    state = cursor.decode(after, fingerprint) if after else cursor.MergeState()
    if first < 1:
        # An empty page needs nobody: never ask a network for zero items (some refuse).
        return empty_page(federation, state)

    async def fetch(connector: Connector, position: str | None, limit: int) -> Page[ProductRecord]:
        page = await connector.search_products(search.query, position, limit)
        if search.certifications:
            # Certifications belong to suppliers: fetch this page's in one call, within
            # the same deadline, and keep them for the supplier field.
            ids = sorted({p.supplier_id for p in page.items})
            loaders.prime_suppliers(list((await connector.get_suppliers(ids)).values()))
        return page

    def keep(product: ProductRecord) -> bool:
        if not product_matches(search.query, product):
            return False
        if not search.certifications:
            return True
        supplier = loaders.peek_supplier(product.network, product.supplier_id)
        return has_certifications(supplier, search.certifications)

    return await merge_page(
        federation,
        fetch,
        state,
        first,
        key=product_key(search.sort, search.query.text),
        keep=keep,
        only=search.networks,
    )


def empty_page(federation: Federation, state: cursor.MergeState) -> Merged[ProductRecord]:
    """Nothing taken and ``state`` unchanged, every network SKIPPED: the ``first: 0`` page."""
    skipped: tuple[NetworkOutcome[Page[ProductRecord]], ...] = tuple(
        NetworkOutcome(code, NetworkStatus.SKIPPED, 0.0, message=EMPTY_PAGE)
        for code in federation.codes
    )
    return Merged((), state, skipped, ())
