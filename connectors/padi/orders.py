"""PaDi purchase orders: ``clientReference`` is PaDi's own idempotency, per OAuth client.

The same reference with the same input answers the order already placed, and concurrent
duplicates make one order, so placing needs no look-up first. The same reference with a
different input is ``DUPLICATE_REFERENCE``; the order holding it is the answer then too,
as the connector contract asks (one order per reference).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from connectors.errors import NetworkRejected
from connectors.padi.graphql import GraphQLClient, PadiRejected
from connectors.padi.native import (
    Answer,
    NativePage,
    NativePurchaseOrder,
    NativePurchaseOrderInput,
)
from connectors.records import OrderRecord, OrderRequest, OrderStatus

ORDER_FIELDS = (
    "id clientReference status total lines { lineNo productId quantity unitPrice amount }"
)
CREATE = (
    "mutation($input: CreatePurchaseOrderInput!) "
    f"{{ result: createPurchaseOrder(input: $input) {{ {ORDER_FIELDS} }} }}"
)
CANCEL = f"mutation($id: ID!) {{ result: cancelPurchaseOrder(id: $id) {{ {ORDER_FIELDS} }} }}"
BY_ID = f"query($id: ID!) {{ result: purchaseOrder(id: $id) {{ {ORDER_FIELDS} }} }}"
BY_REFERENCE = (
    "query($reference: String!) { result: purchaseOrders("
    "filter: {clientReference: $reference}, page: 1, size: 1) "
    f"{{ total items {{ {ORDER_FIELDS} }} }} }}"
)
MAX_REFERENCE = 100  # PaDi's limit on ``clientReference``

_ORDER = TypeAdapter(Answer[NativePurchaseOrder])
_MAYBE_ORDER = TypeAdapter(Answer[NativePurchaseOrder | None])
_ORDERS = TypeAdapter(Answer[NativePage[NativePurchaseOrder]])


class PadiOrders:
    """Purchase orders placed, found, read and cancelled as the hub's OAuth client."""

    def __init__(self, network: str, graphql: GraphQLClient) -> None:
        self._network = network
        self._graphql = graphql

    async def place(self, request: OrderRequest) -> OrderRecord:
        """``createPurchaseOrder``: a new order, or the one already holding the reference."""
        variables = NativePurchaseOrderInput.of(request).variables()
        try:
            answer = await self._graphql.execute(CREATE, variables, _ORDER)
        except PadiRejected as error:
            if error.code == "DUPLICATE_REFERENCE":
                existing = await self.find(request.reference)
                if existing is not None:
                    return existing
            raise _order_refused(self._network, request, error) from None
        return answer.result.record(self._network)

    async def find(self, reference: str) -> OrderRecord | None:
        """The order placed with ``reference``: ``purchaseOrders(filter: {clientReference})``."""
        # PaDi reads an empty clientReference as no filter at all; no order can hold one.
        if not 0 < len(reference) <= MAX_REFERENCE:
            return None
        answer = await self._graphql.execute(BY_REFERENCE, {"reference": reference}, _ORDERS)
        items = answer.result.items
        return items[0].record(self._network) if items else None

    async def get(self, order_id: str) -> OrderRecord | None:
        """``purchaseOrder(id:)``: null for ids unknown to PaDi or not the hub's."""
        answer = await self._graphql.execute(BY_ID, {"id": order_id}, _MAYBE_ORDER)
        return None if answer.result is None else answer.result.record(self._network)

    async def cancel(self, order_id: str) -> OrderRecord:
        """``cancelPurchaseOrder``; a cancelled order is returned, a shipped one is a 409."""
        try:
            answer = await self._graphql.execute(CANCEL, {"id": order_id}, _ORDER)
        except PadiRejected as error:
            if error.code == "INVALID_STATE":
                current = await self.get(order_id)
                if current is not None and current.status is OrderStatus.CANCELLED:
                    return current
            raise NetworkRejected(
                self._network,
                f"cannot cancel order {order_id}: {_reason(error)}",
                error.status,
                request_id=error.request_id,
            ) from None
        return answer.result.record(self._network)


def _order_refused(network: str, request: OrderRequest, error: PadiRejected) -> NetworkRejected:
    """A refusal the buyer can act on: each problem named by the product it concerns.

    A line whose product PaDi does not find (unknown or deleted) is bad input to the order,
    so 422 rather than PaDi's NOT_FOUND.
    """
    problems = "; ".join(_problem(request, detail) for detail in error.details)
    reason = _reason(error)
    message = f"order refused: {problems} [{reason}]" if problems else f"order refused: {reason}"
    status = 422 if error.code == "NOT_FOUND" else error.status
    return NetworkRejected(network, message, status, request_id=error.request_id)


def _problem(request: OrderRequest, detail: dict[str, Any]) -> str:
    """``{"field": "lines.2.quantity", "problem": ...}`` as "product <id> quantity: ..."."""
    field, problem = str(detail.get("field", "")), str(detail.get("problem", detail))
    head, index, *rest = [*field.split("."), "", ""]
    if head == "lines" and index.isdigit() and int(index) < len(request.lines):
        what = " ".join(["product", request.lines[int(index)].product_id, *filter(None, rest)])
        return f"{what}: {problem}"
    return f"{field}: {problem}" if field else problem


def _reason(error: PadiRejected) -> str:
    return f"PaDi {error.said or error.message}"
