"""SEJUK orders: a unique ``referensi_klien`` and no idempotency key.

Placing is made idempotent the SEJUK way: a retry looks the reference up before posting,
and a ``409 REFERENSI_GANDA`` (another attempt got there first, perhaps at the same
moment) names the order already holding the reference, which is then the answer.
"""

from __future__ import annotations

from typing import Any

from connectors.errors import NetworkProtocolError, NetworkRejected
from connectors.http import JsonClient, parse
from connectors.records import OrderRecord, OrderRequest, OrderStatus
from connectors.sejuk import mapping
from connectors.sejuk.galat import galat_of, refusal
from connectors.sejuk.native import PESANAN, PESANAN_PAGE
from connectors.sejuk.query import native_id

PESANAN_PATH = "/api/v1/pesanan"
MAX_REFERENCE = 100  # SEJUK's limit on ``referensi_klien``


class SejukOrders:
    """Orders placed, found, read and cancelled at SEJUK as the hub's partner account."""

    def __init__(self, network: str, client: JsonClient) -> None:
        self._network = network
        self._client = client

    async def place(self, request: OrderRequest, *, retry: bool) -> OrderRecord:
        """The order for ``request.reference``: the one already placed, or a new one."""
        body = mapping.pesanan_masuk(request, self._produk_ids(request))
        if retry:
            existing = await self.find(request.reference)
            if existing is not None:
                return existing
        try:
            answer = await self._client.request(
                "POST", PESANAN_PATH, json=body.model_dump(mode="json")
            )
        except NetworkRejected as error:
            galat = galat_of(error)
            if error.status == 409 and galat is not None and galat.kode == "REFERENSI_GANDA":
                return await self._holding(request.reference, galat.pesanan_id)
            raise refusal(self._network, "order refused", error) from None
        return self._order(answer)

    async def find(self, reference: str) -> OrderRecord | None:
        """The order placed with ``reference``, looked up by ``referensi_klien``."""
        if not 0 < len(reference) <= MAX_REFERENCE:
            return None
        answer = await self._client.request(
            "GET", PESANAN_PATH, params={"referensi_klien": reference, "per_halaman": 1}
        )
        rows = parse(self._network, PESANAN_PAGE, answer).data
        return mapping.order(self._network, rows[0]) if rows else None

    async def get(self, order_id: str) -> OrderRecord | None:
        """The order ``order_id`` if it is one of the hub's at SEJUK."""
        pesanan_id = native_id(order_id)
        if pesanan_id is None:
            return None
        try:
            answer = await self._client.request(
                "GET", f"{PESANAN_PATH}/{pesanan_id}", expected=(404,)
            )
        except NetworkRejected as error:
            if error.status == 404:
                return None
            raise
        return self._order(answer)

    async def cancel(self, order_id: str) -> OrderRecord:
        """Cancel (stock goes back); already cancelled is fine, shipped is a 409."""
        pesanan_id = native_id(order_id)
        if pesanan_id is None:
            raise NetworkRejected(self._network, f"order {order_id!r} not found", 404)
        try:
            answer = await self._client.request("POST", f"{PESANAN_PATH}/{pesanan_id}/batal")
        except NetworkRejected as error:
            if error.status == 409:
                current = await self.get(order_id)
                if current is not None and current.status is OrderStatus.CANCELLED:
                    return current
            raise refusal(self._network, f"cannot cancel order {order_id}", error) from None
        return self._order(answer)

    async def _holding(self, reference: str, pesanan_id: int | None) -> OrderRecord:
        """The order SEJUK says already holds ``reference``."""
        found = (
            await self.find(reference) if pesanan_id is None else await self.get(str(pesanan_id))
        )
        if found is None:
            raise NetworkProtocolError(
                self._network, f"reference {reference!r} is taken, but by no order it shows"
            )
        return found

    def _produk_ids(self, request: OrderRequest) -> list[int]:
        """The lines' product ids as SEJUK integers; any other id cannot be in its catalogue."""
        ids = [native_id(line.product_id) for line in request.lines]
        unknown = [line.product_id for line, pid in zip(request.lines, ids, strict=True) if not pid]
        if unknown:
            raise NetworkRejected(
                self._network,
                f"order refused: product not in SEJUK's catalogue: {', '.join(unknown)}",
                422,
            )
        return [pid for pid in ids if pid]

    def _order(self, answer: Any) -> OrderRecord:
        return mapping.order(self._network, parse(self._network, PESANAN, answer))
