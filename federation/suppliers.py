"""Supplier search with entity resolution: one supplier per NIB, however many networks.

Each NIB is handed out by exactly one network's stream, its *owner*: the first network,
in the federation's order, whose listing of that NIB matches the query. Other networks
skip it, so paging never shows a supplier twice and never loses one.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.base import Connector
from connectors.records import Page, SupplierQuery, SupplierRecord
from federation import cursor
from federation.filters import supplier_matches
from federation.hub import Federation
from federation.loaders import Loaders
from federation.merge import Merged, merge_page


@dataclass(frozen=True)
class SupplierSearch:
    query: SupplierQuery
    networks: tuple[str, ...] | None = None

    def fingerprint(self) -> str:
        return cursor.fingerprint("suppliers", self.query, self.networks)


async def search_suppliers(
    federation: Federation, loaders: Loaders, search: SupplierSearch, first: int, after: str | None
) -> Merged[SupplierRecord]:
    """The next ``first`` suppliers after ``after``: for each NIB, its owner's listing."""
    fingerprint = search.fingerprint()
    state = cursor.decode(after, fingerprint) if after else cursor.MergeState()
    allowed = search.networks or federation.codes
    owners: dict[str, str] = {}

    async def fetch(connector: Connector, position: str | None, limit: int) -> Page[SupplierRecord]:
        return await connector.search_suppliers(search.query, position, limit)

    async def prepare(pages: dict[str, Page[SupplierRecord]]) -> None:
        nibs = sorted({s.nib for page in pages.values() for s in page.items})
        for nib, listings in zip(nibs, await loaders.listings.load_many(nibs), strict=True):
            matching = [
                s.network
                for s in listings
                if s.network in allowed and supplier_matches(search.query, s)
            ]
            if matching:
                owners[nib] = matching[0]

    def keep(supplier: SupplierRecord) -> bool:
        if not supplier_matches(search.query, supplier):
            return False
        # A network that did not answer the NIB lookup cannot claim ownership: then the
        # listing's own network does, so nothing is lost (a repeat is the lesser harm).
        return owners.get(supplier.nib, supplier.network) == supplier.network

    return await merge_page(
        federation,
        fetch,
        state,
        first,
        key=lambda s: (s.name.casefold(), s.nib),
        keep=keep,
        only=search.networks,
        prepare=prepare,
    )
