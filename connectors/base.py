"""The ``Connector`` protocol: the one seam between the hub and a network's API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from connectors.records import (
    Capabilities,
    ChangePage,
    CooperativeQuery,
    CooperativeRecord,
    OrderRecord,
    OrderRequest,
    Page,
    PartnershipRecord,
    ProductQuery,
    ProductRecord,
    SupplierQuery,
    SupplierRecord,
    TransactionRecord,
)


class Connector(Protocol):
    """One network, spoken to in its own dialect, answered in canonical records.

    Every method raises only ``connectors.errors.ConnectorError`` subclasses. Searches
    take ``after`` (a position from an earlier ``Page``, or None for the start) and a
    ``limit`` no larger than ``capabilities.max_page_size`` (below 1: an empty page, with
    ``has_more`` True, and no request, as networks refuse such sizes); a query field the network
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

    async def get_partnerships(
        self, cooperative_ids: Sequence[str]
    ) -> dict[str, tuple[PartnershipRecord, ...]]:
        """Each cooperative's JUK partnerships, keyed by cooperative id; a network without
        JUK answers ``{}``."""
        ...

    async def place_order(self, request: OrderRequest, *, retry: bool = False) -> OrderRecord:
        """Place one sub-order, idempotently by ``request.reference``.

        Placing the same reference again returns the order already placed, never a second
        one; ``retry`` says an earlier attempt may have landed (a network without an
        idempotency key is asked for the reference first). A refusal the buyer must act on
        (stock, minimum, unknown product) is ``NetworkRejected``.
        """
        ...

    async def find_order(self, reference: str) -> OrderRecord | None:
        """The order placed with ``reference``, or None when none was: never places one."""
        ...

    async def get_order(self, order_id: str) -> OrderRecord | None: ...

    async def cancel_order(self, order_id: str) -> OrderRecord:
        """Cancel; cancelling a cancelled order is no error. Too late (shipped) is
        ``NetworkRejected`` with status 409."""
        ...

    def transactions(self, cooperative_id: str) -> AsyncIterator[TransactionRecord] | None:
        """A live stream of a cooperative's transactions, or None if the network has none."""
        ...

    async def health(self) -> None:
        """Return when the network answers; raise a ConnectorError when it does not."""
        ...

    async def aclose(self) -> None: ...

    async def product_changes(self, after: str | None, limit: int) -> ChangePage:
        """Up to ``limit`` (at most ``capabilities.max_page_size``) entries of the product
        change feed after the marker ``after`` (None: from the feed's start, which replays
        every product the network has as an upsert, then every later change).

        Deletions are entries too. A marker this connector never issued is
        ``NetworkRejected`` (400).
        """
        ...
