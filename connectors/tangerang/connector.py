"""The Tangerang connector: signed requests, cursor positions, batch lookups, orders, stream."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import httpx
from pydantic import TypeAdapter

from connectors.errors import NetworkProtocolError, NetworkRejected
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
)
from connectors.registry import ConnectorConfig
from connectors.tangerang import changes
from connectors.tangerang.filters import (
    CAPABILITIES,
    MAX_PAGE_SIZE,
    Params,
    cooperative_params,
    item_params,
    merchant_params,
)
from connectors.tangerang.native import (
    COOPERATIVE_BATCH,
    COOPERATIVE_PAGE,
    ITEM_BATCH,
    ITEM_PAGE,
    MERCHANT_BATCH,
    MERCHANT_PAGE,
    ORDER,
    ORDER_PAGE,
    Native,
    NativeBatch,
    NativePage,
    cooperative_record,
    order_record,
    product_record,
    supplier_record,
)
from connectors.tangerang.orders import IDEMPOTENCY_HEADER, is_order_id, order_body, refusal
from connectors.tangerang.signing import HmacAuth
from connectors.tangerang.stream import StreamPolicy, TransactionStream

Record = TypeVar("Record")


class TangerangConnector:
    """Tangerang's catalog items, merchants, cooperatives, orders and transactions.

    Live transaction streams use a client of their own, with a connect timeout but no read
    timeout (a stream is quiet between events); ``stream_policy`` says how they reconnect.
    """

    def __init__(
        self,
        config: ConnectorConfig,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        stream_policy: StreamPolicy | None = None,
    ) -> None:
        client_id = config.credentials.get("client_id")
        secret = config.credentials.get("secret")
        if not client_id or not secret:
            raise ValueError(f"{config.code}: credentials need a client_id and a secret")
        self._code = config.code
        self._timeout = config.timeout
        auth = HmacAuth(client_id, secret)
        self._http = JsonClient(
            config.code, config.base_url, timeout=config.timeout, auth=auth, transport=transport
        )
        self._streams = httpx.AsyncClient(
            base_url=config.base_url,
            auth=auth,
            transport=transport,
            timeout=httpx.Timeout(config.timeout, read=None),
        )
        self._stream_policy = stream_policy or StreamPolicy()

    @property
    def code(self) -> str:
        return self._code

    @property
    def capabilities(self) -> Capabilities:
        return CAPABILITIES

    async def search_products(
        self, query: ProductQuery, after: str | None, limit: int
    ) -> Page[ProductRecord]:
        """Catalog items matching ``query``, from ``after`` on."""
        params = item_params(query)
        if params is None:
            return Page((), (), False)
        return await self._page(
            "/v2/catalog/items", params, after, limit, ITEM_PAGE, product_record
        )

    async def get_products(self, ids: Sequence[str]) -> dict[str, ProductRecord]:
        """Catalog items by id, one batch request per hundred ids."""
        found = await self._batch(
            "/v2/catalog/items:batchGet", "ids", ids, ITEM_BATCH, product_record
        )
        return {record.id: record for record in found}

    async def search_suppliers(
        self, query: SupplierQuery, after: str | None, limit: int
    ) -> Page[SupplierRecord]:
        """Merchants matching ``query``, from ``after`` on."""
        params = merchant_params(query)
        if params is None:
            return Page((), (), False)
        return await self._page(
            "/v2/merchants", params, after, limit, MERCHANT_PAGE, supplier_record
        )

    async def get_suppliers(self, ids: Sequence[str]) -> dict[str, SupplierRecord]:
        """Merchants by id, one batch request per hundred ids."""
        found = await self._batch(
            "/v2/merchants:batchGet", "ids", ids, MERCHANT_BATCH, supplier_record
        )
        return {record.id: record for record in found}

    async def find_suppliers_by_nib(self, nibs: Sequence[str]) -> dict[str, SupplierRecord]:
        """Merchants by NIB, one batch request per hundred NIBs."""
        found = await self._batch(
            "/v2/merchants:batchGetByNib", "nibs", nibs, MERCHANT_BATCH, supplier_record
        )
        return {record.nib: record for record in found}

    async def search_cooperatives(
        self, query: CooperativeQuery, after: str | None, limit: int
    ) -> Page[CooperativeRecord]:
        """Cooperatives matching ``query``, from ``after`` on."""
        params = cooperative_params(query)
        if params is None:
            return Page((), (), False)
        return await self._page(
            "/v2/cooperatives", params, after, limit, COOPERATIVE_PAGE, cooperative_record
        )

    async def get_cooperatives(self, ids: Sequence[str]) -> dict[str, CooperativeRecord]:
        """Cooperatives by id, one batch request per hundred ids."""
        found = await self._batch(
            "/v2/cooperatives:batchGet", "ids", ids, COOPERATIVE_BATCH, cooperative_record
        )
        return {record.id: record for record in found}

    async def get_partnerships(
        self, cooperative_ids: Sequence[str]
    ) -> dict[str, tuple[PartnershipRecord, ...]]:
        """No JUK partnerships here: they are SEJUK's (Bandung's) programme."""
        return {}

    async def place_order(self, request: OrderRequest, *, retry: bool = False) -> OrderRecord:
        """``POST /v2/orders`` with ``Idempotency-Key: reference``.

        The network answers a repeated key and body with the order it already placed, so a
        retry is the same request again and ``retry`` needs nothing more. Refusals (unknown
        item, repeated line, below the minimum: 422; not enough stock: 409; the key reused
        with another body: 422) are ``NetworkRejected`` with the network's own message.
        """
        try:
            answer = await self._http.request(
                "POST",
                "/v2/orders",
                json=order_body(request),
                headers={IDEMPOTENCY_HEADER: request.reference},
            )
        except NetworkRejected as error:
            raise refusal(error) from None
        record = order_record(self._code, parse(self._code, ORDER, answer))
        if record.reference != request.reference:
            raise NetworkProtocolError(
                self._code, f"asked for order {request.reference!r}, got {record.reference!r}"
            )
        return record

    async def find_order(self, reference: str) -> OrderRecord | None:
        """``GET /v2/orders?idempotency_key=``: the order that reference placed, if any."""
        params = {"idempotency_key": reference, "limit": "1"}
        answer = await self._http.request("GET", "/v2/orders", params=params)
        found = parse(self._code, ORDER_PAGE, answer).items
        return order_record(self._code, found[0]) if found else None

    async def get_order(self, order_id: str) -> OrderRecord | None:
        """``GET /v2/orders/{id}``; None for an id the network does not know (as ours)."""
        if not is_order_id(order_id):
            return None
        try:
            answer = await self._http.request("GET", f"/v2/orders/{order_id}", expected=(404,))
        except NetworkRejected as error:
            if error.status == 404:
                return None
            raise
        return order_record(self._code, parse(self._code, ORDER, answer))

    async def cancel_order(self, order_id: str) -> OrderRecord:
        """``POST /v2/orders/{id}:cancel``: a cancelled order stays cancelled without error;
        a shipped or delivered one is ``NetworkRejected`` 409, an unknown id 404."""
        if not is_order_id(order_id):
            raise NetworkRejected(self._code, f"no order with id {order_id!r}", 404)
        try:
            answer = await self._http.request("POST", f"/v2/orders/{order_id}:cancel")
        except NetworkRejected as error:
            raise refusal(error) from None
        return order_record(self._code, parse(self._code, ORDER, answer))

    def transactions(self, cooperative_id: str) -> TransactionStream:
        """The cooperative's transactions from now on, live (``GET /v2/transactions/stream``).

        Nothing is requested until the first ``anext``; ``aclose()`` the stream when done.
        An unknown cooperative is ``NetworkRejected`` (404) on that first ``anext``.
        """
        return TransactionStream(
            self._code,
            self._streams,
            cooperative_id,
            open_timeout=self._timeout,
            policy=self._stream_policy,
        )

    async def health(self) -> None:
        """One signed one-item cooperative page: proves reachability, clock and credentials."""
        answer = await self._http.request("GET", "/v2/cooperatives", params={"limit": "1"})
        parse(self._code, COOPERATIVE_PAGE, answer)

    async def aclose(self) -> None:
        """Close the pooled connections; open transaction streams end."""
        await self._http.aclose()
        await self._streams.aclose()

    async def product_changes(self, after: str | None, limit: int) -> ChangePage:
        """The item change feed after cursor ``after`` (``connectors/tangerang/changes.py``)."""
        return await changes.product_changes(self._code, self._http, after, limit)

    async def _page(
        self,
        path: str,
        params: Params,
        after: str | None,
        limit: int,
        adapter: TypeAdapter[NativePage[Native]],
        convert: Callable[[str, Native], Record],
    ) -> Page[Record]:
        cursor, skip = _decode_position(self._code, after)
        if limit < 1:
            # Tangerang refuses ``limit=0``; an empty window needs no request.
            return Page((), (), has_more=True)
        native = await self._fetch(path, params, cursor, min(skip + limit, MAX_PAGE_SIZE), adapter)
        while skip >= len(native.items) and native.next_cursor is not None:
            # Only after the last item of a full final page that has since grown.
            cursor, skip = native.next_cursor, 0
            native = await self._fetch(path, params, cursor, min(limit, MAX_PAGE_SIZE), adapter)
        window = native.items[skip:]
        consumed = range(skip + 1, len(native.items) + 1)
        return Page(
            items=tuple(convert(self._code, item) for item in window),
            positions=tuple(
                _position(cursor, n, len(native.items), native.next_cursor) for n in consumed
            ),
            has_more=native.next_cursor is not None,
        )

    async def _fetch(
        self,
        path: str,
        params: Params,
        cursor: str | None,
        size: int,
        adapter: TypeAdapter[NativePage[Native]],
    ) -> NativePage[Native]:
        request = {**params, "limit": str(size)}
        if cursor is not None:
            request["cursor"] = cursor
        return parse(self._code, adapter, await self._http.request("GET", path, params=request))

    async def _batch(
        self,
        path: str,
        field: str,
        keys: Sequence[str],
        adapter: TypeAdapter[NativeBatch[Native]],
        convert: Callable[[str, Native], Record],
    ) -> list[Record]:
        unique = list(dict.fromkeys(keys))
        found: list[Record] = []
        for start in range(0, len(unique), MAX_PAGE_SIZE):
            body = {field: unique[start : start + MAX_PAGE_SIZE]}
            answer = parse(self._code, adapter, await self._http.request("POST", path, json=body))
            found.extend(convert(self._code, item) for item in answer.items)
        return found


def _position(cursor: str | None, consumed: int, page_length: int, next_cursor: str | None) -> str:
    """Where to resume after ``consumed`` items of the page starting at ``cursor``."""
    if consumed == page_length and next_cursor is not None:
        return f"0:{next_cursor}"
    return f"{consumed}:{cursor or ''}"


def _decode_position(network: str, after: str | None) -> tuple[str | None, int]:
    if after is None:
        return None, 0
    skip, separator, cursor = after.partition(":")
    if not separator or not skip.isascii() or not skip.isdigit() or int(skip) > MAX_PAGE_SIZE:
        raise NetworkRejected(network, f"not a position of this network: {after!r}", 400)
    return cursor or None, int(skip)
