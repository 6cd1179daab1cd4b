"""``SejukConnector``: the hub's calls as SEJUK requests, one per call where SEJUK allows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from functools import partial
from typing import TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from connectors.http import JsonClient, parse
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
from connectors.sejuk import changes, mapping
from connectors.sejuk.native import (
    KEMITRAAN_PAGE,
    KOPERASI_PAGE,
    PEMASOK_PAGE,
    PRODUK_PAGE,
    Halaman,
    Pemasok,
)
from connectors.sejuk.orders import SejukOrders
from connectors.sejuk.paging import MAX_PAGE, Window, decode, page, plan
from connectors.sejuk.query import (
    COOPERATIVE_FILTERS,
    PRODUCT_FILTERS,
    SUPPLIER_FILTERS,
    MatchesNothing,
    Params,
    cooperative_params,
    native_ids,
    native_nibs,
    product_params,
    supplier_params,
)

PRODUK = "/api/v1/produk"
PEMASOK = "/api/v1/pemasok"
KOPERASI = "/api/v1/koperasi"
KEMITRAAN = "/api/v1/kemitraan"

N = TypeVar("N", bound=BaseModel)


class SejukConnector:
    """SEJUK spoken in Indonesian over REST, answered in canonical records.

    Positions are absolute offsets into SEJUK's id-ordered results. Suppliers carry the ids
    of their JUK partner cooperatives, which SEJUK lists with each supplier.
    """

    def __init__(
        self, config: ConnectorConfig, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        api_key = config.credentials.get("api_key")
        if not api_key:
            raise ValueError(f"{config.code}: SEJUK needs credentials['api_key']")
        self._code = config.code
        self._client = JsonClient(
            config.code,
            config.base_url,
            timeout=config.timeout,
            headers={"X-API-Key": api_key},
            transport=transport,
        )
        self._orders = SejukOrders(config.code, self._client)

    @property
    def code(self) -> str:
        return self._code

    @property
    def capabilities(self) -> Capabilities:
        """Every product and cooperative field; suppliers' multi-valued ones stay with the hub."""
        return Capabilities(
            product_filters=PRODUCT_FILTERS,
            supplier_filters=SUPPLIER_FILTERS,
            cooperative_filters=COOPERATIVE_FILTERS,
            max_page_size=MAX_PAGE,
        )

    async def search_products(
        self, query: ProductQuery, after: str | None, limit: int
    ) -> Page[ProductRecord]:
        """Products matching ``query`` in SEJUK's id order, from ``after`` on."""
        window = await self._window(
            PRODUK, PRODUK_PAGE, partial(product_params, query), after, limit
        )
        return page([mapping.product(self._code, p) for p in window.rows], window)

    async def get_products(self, ids: Sequence[str]) -> dict[str, ProductRecord]:
        """The products among ``ids`` that SEJUK knows (and has not deleted)."""
        rows = await self._batch(PRODUK, PRODUK_PAGE, "id", native_ids(ids))
        return {str(p.id): mapping.product(self._code, p) for p in rows}

    async def search_suppliers(
        self, query: SupplierQuery, after: str | None, limit: int
    ) -> Page[SupplierRecord]:
        """Suppliers matching SEJUK's filters, each with its partner cooperatives' ids."""
        window = await self._window(
            PEMASOK, PEMASOK_PAGE, partial(supplier_params, query), after, limit
        )
        return page(self._suppliers(window.rows), window)

    async def get_suppliers(self, ids: Sequence[str]) -> dict[str, SupplierRecord]:
        """The suppliers among ``ids`` that SEJUK knows, each with its partner cooperatives."""
        rows = await self._batch(PEMASOK, PEMASOK_PAGE, "id", native_ids(ids))
        return {s.id: s for s in self._suppliers(rows)}

    async def find_suppliers_by_nib(self, nibs: Sequence[str]) -> dict[str, SupplierRecord]:
        """SEJUK's supplier for each NIB it knows, keyed by NIB."""
        rows = await self._batch(PEMASOK, PEMASOK_PAGE, "nib", native_nibs(nibs))
        return {s.nib: s for s in self._suppliers(rows)}

    async def search_cooperatives(
        self, query: CooperativeQuery, after: str | None, limit: int
    ) -> Page[CooperativeRecord]:
        """Cooperatives matching ``query`` in SEJUK's id order, from ``after`` on."""
        window = await self._window(
            KOPERASI, KOPERASI_PAGE, partial(cooperative_params, query), after, limit
        )
        return page([mapping.cooperative(self._code, k) for k in window.rows], window)

    async def get_cooperatives(self, ids: Sequence[str]) -> dict[str, CooperativeRecord]:
        """The cooperatives among ``ids`` that SEJUK knows."""
        rows = await self._batch(KOPERASI, KOPERASI_PAGE, "id", native_ids(ids))
        return {str(k.id): mapping.cooperative(self._code, k) for k in rows}

    async def get_partnerships(
        self, cooperative_ids: Sequence[str]
    ) -> dict[str, tuple[PartnershipRecord, ...]]:
        """The JUK MoUs of the cooperatives among ``cooperative_ids`` that have any."""
        found: dict[str, list[PartnershipRecord]] = {}
        for chunk in _chunks(native_ids(cooperative_ids)):
            params: Params = {"koperasi_id": ",".join(chunk), "per_halaman": MAX_PAGE}
            halaman, seen = 1, 0
            while True:  # a cooperative may hold several MoUs: read every page
                answer = await self._get(KEMITRAAN, KEMITRAAN_PAGE, {**params, "halaman": halaman})
                for row in answer.data:
                    record = mapping.partnership(self._code, row)
                    found.setdefault(record.cooperative_id, []).append(record)
                seen += len(answer.data)
                if not answer.data or seen >= answer.total:
                    break
                halaman += 1
        return {cid: tuple(records) for cid, records in found.items()}

    async def place_order(self, request: OrderRequest, *, retry: bool = False) -> OrderRecord:
        """Place with a unique ``referensi_klien``; a retry looks the reference up first."""
        return await self._orders.place(request, retry=retry)

    async def find_order(self, reference: str) -> OrderRecord | None:
        """The order placed with ``reference`` (SEJUK's ``?referensi_klien=``), or None."""
        return await self._orders.find(reference)

    async def get_order(self, order_id: str) -> OrderRecord | None:
        """The hub's order ``order_id`` at SEJUK, or None."""
        return await self._orders.get(order_id)

    async def cancel_order(self, order_id: str) -> OrderRecord:
        """Cancel an order not yet shipped; a cancelled one is returned as it is."""
        return await self._orders.cancel(order_id)

    def transactions(self, cooperative_id: str) -> AsyncIterator[TransactionRecord] | None:
        """SEJUK streams no transactions."""
        return None

    async def health(self) -> None:
        """Read one cooperative: needs the API key accepted and SEJUK's database up."""
        await self._get(KOPERASI, KOPERASI_PAGE, {"per_halaman": 1})

    async def aclose(self) -> None:
        await self._client.aclose()

    async def product_changes(self, after: str | None, limit: int) -> ChangePage:
        """SEJUK's change feed after version ``after`` (``connectors/sejuk/changes.py``)."""
        return await changes.product_changes(self._code, self._client, after, limit)

    async def _get(self, path: str, adapter: TypeAdapter[Halaman[N]], params: Params) -> Halaman[N]:
        return parse(self._code, adapter, await self._client.request("GET", path, params=params))

    async def _window(
        self,
        path: str,
        adapter: TypeAdapter[Halaman[N]],
        params_of: Callable[[], Params],
        after: str | None,
        limit: int,
    ) -> Window[N]:
        """The rows in ``[offset, offset + limit)``, read with one native page or two."""
        offset = decode(self._code, after)
        try:
            params = params_of()
        except MatchesNothing:
            return Window([], offset, has_more=False)
        if limit < 1:
            return Window([], offset, has_more=True)
        size, pages = plan(offset, min(limit, MAX_PAGE))
        answers = await asyncio.gather(
            *(
                self._get(path, adapter, {**params, "halaman": n, "per_halaman": size})
                for n in pages
            )
        )
        rows = [row for answer in answers for row in answer.data]
        skip = offset - (pages[0] - 1) * size
        chosen = rows[skip : skip + limit]
        return Window(chosen, offset, offset + len(chosen) < answers[-1].total)

    async def _batch(
        self, path: str, adapter: TypeAdapter[Halaman[N]], key: str, values: list[str]
    ) -> list[N]:
        """Rows for ``values`` of ``key``: one request per ``MAX_PAGE`` of them."""
        answers = await asyncio.gather(
            *(
                self._get(path, adapter, {key: ",".join(chunk), "per_halaman": len(chunk)})
                for chunk in _chunks(values)
            )
        )
        return [row for answer in answers for row in answer.data]

    def _suppliers(self, rows: Sequence[Pemasok]) -> list[SupplierRecord]:
        return [mapping.supplier(self._code, s) for s in rows]


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + MAX_PAGE] for i in range(0, len(values), MAX_PAGE)]
