"""``PadiConnector``: the ``Connector`` protocol over PaDi UMKM's GraphQL API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter

from connectors.errors import NetworkProtocolError
from connectors.http import JsonClient
from connectors.padi import changes, filters, queries
from connectors.padi.graphql import GraphQLClient
from connectors.padi.native import (
    Answer,
    Native,
    NativeCooperative,
    NativePage,
    NativeProduct,
    NativeUmkm,
)
from connectors.padi.orders import PadiOrders
from connectors.padi.paging import offset_of, pages_for, window
from connectors.padi.procurement import PadiProcurement
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
from connectors.registry import ConnectorConfig

N = TypeVar("N", bound=Native)
R = TypeVar("R")

MAX_PAGE_SIZE = 100
MAX_BATCH = 100
_HEALTH = TypeAdapter(Answer[str])


class PadiConnector:
    """PaDi UMKM: products, UMKM suppliers (with NIB, KBLI, scale, certifications), koperasi.

    ``config.credentials`` holds the OAuth client's ``client_id`` and ``client_secret``.
    """

    def __init__(
        self, config: ConnectorConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        missing = {"client_id", "client_secret"} - set(config.credentials)
        if missing:
            raise ValueError(f"{config.code}: credentials need {', '.join(sorted(missing))}")
        self._code = config.code
        self._http = JsonClient(
            config.code, config.base_url, timeout=config.timeout, transport=transport
        )
        self._graphql = GraphQLClient(
            self._http, config.credentials["client_id"], config.credentials["client_secret"]
        )
        self._orders = PadiOrders(config.code, self._graphql)
        # PaDi's own procurement (RFQs, quotations, awards, spend), on the same client: one
        # token cache and one rate-limit hold-back for every call the hub makes to PaDi.
        self.procurement = PadiProcurement(self._graphql)

    @property
    def code(self) -> str:
        return self._code

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            product_filters=filters.PRODUCT_FILTERS,
            supplier_filters=filters.SUPPLIER_FILTERS,
            cooperative_filters=filters.COOPERATIVE_FILTERS,
            max_page_size=MAX_PAGE_SIZE,
        )

    async def search_products(
        self, query: ProductQuery, after: str | None, limit: int
    ) -> Page[ProductRecord]:
        """Live products in PaDi's order (by id), filtered by PaDi where it can."""
        native_filter = filters.product_filter(query)
        page = await self._search(queries.PRODUCT_SEARCH, native_filter, after, limit)
        return self._records(page, NativeProduct.record)

    async def get_products(self, ids: Sequence[str]) -> dict[str, ProductRecord]:
        """Live products by id, one ``products(ids:)`` call per 100 ids."""
        found = await self._batch(queries.PRODUCTS_BY_ID, ids)
        return {p.id: p.record(self._code) for p in found}

    async def search_suppliers(
        self, query: SupplierQuery, after: str | None, limit: int
    ) -> Page[SupplierRecord]:
        """UMKM in PaDi's order (by id), filtered by PaDi where it can."""
        native_filter = filters.umkm_filter(query)
        page = await self._search(queries.UMKM_SEARCH, native_filter, after, limit)
        return self._records(page, NativeUmkm.record)

    async def get_suppliers(self, ids: Sequence[str]) -> dict[str, SupplierRecord]:
        """UMKM by id, one ``umkmsByIds`` call per 100 ids."""
        found = await self._batch(queries.UMKMS_BY_ID, ids)
        return {u.id: u.record(self._code) for u in found}

    async def find_suppliers_by_nib(self, nibs: Sequence[str]) -> dict[str, SupplierRecord]:
        """UMKM by NIB, one ``umkmsByNibs`` call per 100 NIBs."""
        found = await self._batch(queries.UMKMS_BY_NIB, nibs)
        return {u.nib: u.record(self._code) for u in found}

    async def search_cooperatives(
        self, query: CooperativeQuery, after: str | None, limit: int
    ) -> Page[CooperativeRecord]:
        """Koperasi registered on PaDi, by id; none at all for a type PaDi does not have."""
        native_filter = filters.cooperative_filter(query)
        if native_filter is None:
            offset_of(self._code, after)
            return Page(items=(), positions=(), has_more=False)
        page = await self._search(queries.COOPERATIVE_SEARCH, native_filter, after, limit)
        return self._records(page, NativeCooperative.record)

    async def get_cooperatives(self, ids: Sequence[str]) -> dict[str, CooperativeRecord]:
        """Koperasi by id, one ``cooperativesByIds`` call per 100 ids."""
        found = await self._batch(queries.COOPERATIVES_BY_ID, ids)
        return {c.id: c.record(self._code) for c in found}

    async def get_partnerships(
        self, cooperative_ids: Sequence[str]
    ) -> dict[str, tuple[PartnershipRecord, ...]]:
        """No JUK partnerships here: they are SEJUK's (Bandung's) programme."""
        return {}

    async def place_order(self, request: OrderRequest, *, retry: bool = False) -> OrderRecord:
        """A purchase order with ``clientReference``: PaDi itself answers a repeat (retry
        or not) with the order already placed, so no look-up comes first."""
        return await self._orders.place(request)

    async def find_order(self, reference: str) -> OrderRecord | None:
        """The purchase order with ``clientReference`` ``reference``, or None."""
        return await self._orders.find(reference)

    async def get_order(self, order_id: str) -> OrderRecord | None:
        """The hub's purchase order ``order_id`` (``PO-…``), or None."""
        return await self._orders.get(order_id)

    async def cancel_order(self, order_id: str) -> OrderRecord:
        """Cancel before shipping; a cancelled order is returned as it is."""
        return await self._orders.cancel(order_id)

    def transactions(self, cooperative_id: str) -> AsyncIterator[TransactionRecord] | None:
        """PaDi streams no transactions."""
        return None

    async def health(self) -> None:
        """An authenticated no-op query: token, GraphQL and rate limit all answer."""
        await self._graphql.execute(queries.HEALTH, {}, _HEALTH)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def product_changes(self, after: str | None, limit: int) -> ChangePage:
        """``productChanges`` after version ``after`` (``connectors/padi/changes.py``)."""
        return await changes.product_changes(self._code, self._graphql, after, limit)

    async def _search(
        self,
        listing: queries.Listing[N],
        native_filter: Mapping[str, Any],
        after: str | None,
        limit: int,
    ) -> Page[N]:
        """The window of ``limit`` items after ``after``, in one request."""
        offset = offset_of(self._code, after)
        if limit < 1:
            # PaDi refuses a page size of 0; an empty window needs no request.
            return Page((), (), has_more=True)
        limit = min(limit, MAX_PAGE_SIZE)
        wanted = pages_for(offset, limit, MAX_PAGE_SIZE)
        answer = await self._graphql.execute(
            listing.document(wanted), {"filter": dict(native_filter)}, listing.adapter
        )
        pages = [self._page(answer, f"p{n}") for n in range(len(wanted))]
        first_page, size = wanted[0]
        items = [item for page in pages for item in page.items]
        return window(offset, limit, first_page, size, items, pages[-1].total)

    def _page(self, answer: Mapping[str, NativePage[N]], alias: str) -> NativePage[N]:
        page = answer.get(alias)
        if page is None:
            raise NetworkProtocolError(self._code, f"the answer has no page {alias}")
        return page

    async def _batch(self, lookup: queries.Lookup[N], keys: Sequence[str]) -> list[N]:
        """What PaDi finds for ``keys``: one request per ``MAX_BATCH`` distinct keys."""
        unique = list(dict.fromkeys(keys))
        chunks = [unique[i : i + MAX_BATCH] for i in range(0, len(unique), MAX_BATCH)]
        answers = await asyncio.gather(
            *(self._graphql.execute(lookup.document, {"keys": c}, lookup.adapter) for c in chunks)
        )
        return [item for answer in answers for item in answer.result if item is not None]

    def _records(self, page: Page[N], record: Callable[[N, str], R]) -> Page[R]:
        return Page(
            items=tuple(record(item, self._code) for item in page.items),
            positions=page.positions,
            has_more=page.has_more,
        )
