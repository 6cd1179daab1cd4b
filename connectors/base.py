"""The ``Connector`` protocol: the one seam between the hub and a network's API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from connectors.records import (
    Capabilities,
    CooperativeQuery,
    CooperativeRecord,
    Page,
    ProductQuery,
    ProductRecord,
    SupplierQuery,
    SupplierRecord,
)


class Connector(Protocol):
    """One network, spoken to in its own dialect, answered in canonical records.

    Every method raises only ``connectors.errors.ConnectorError`` subclasses. Searches
    take ``after`` (a position from an earlier ``Page``, or None for the start) and a
    ``limit`` no larger than ``capabilities.max_page_size``; a query field the network
    cannot filter on natively is ignored here and applied by the hub (see
    ``capabilities``). Batch lookups return what they found, keyed by id; unknown ids
    are simply absent.
    """

    @property
    def code(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    async def search_products(
        self, query: ProductQuery, after: str | None, limit: int
    ) -> Page[ProductRecord]: ...

    async def get_products(self, ids: Sequence[str]) -> dict[str, ProductRecord]: ...

    async def search_suppliers(
        self, query: SupplierQuery, after: str | None, limit: int
    ) -> Page[SupplierRecord]: ...

    async def get_suppliers(self, ids: Sequence[str]) -> dict[str, SupplierRecord]: ...

    async def find_suppliers_by_nib(self, nibs: Sequence[str]) -> dict[str, SupplierRecord]:
        """This network's listing of each NIB it knows, keyed by NIB."""
        ...

    async def search_cooperatives(
        self, query: CooperativeQuery, after: str | None, limit: int
    ) -> Page[CooperativeRecord]: ...

    async def get_cooperatives(self, ids: Sequence[str]) -> dict[str, CooperativeRecord]: ...

    async def health(self) -> None:
        """Return when the network answers; raise a ConnectorError when it does not."""
        ...

    async def aclose(self) -> None: ...
