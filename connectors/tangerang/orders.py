"""Orders in Tangerang's dialect: the create body, order ids and refusals a buyer can read.

Tangerang makes ``POST /v2/orders`` idempotent by the ``Idempotency-Key`` header: the same
key and body, per client, always answer with the one order they placed. The sub-order's
reference is that key, so placing again (a retry, or concurrent duplicates) can never
make a second order, and ``GET /v2/orders?idempotency_key=`` finds it without placing.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from connectors.errors import NetworkRejected
from connectors.records import OrderRequest

IDEMPOTENCY_HEADER = "Idempotency-Key"
_ORDER_ID = re.compile(r"ord_\d{1,12}")


def is_order_id(order_id: str) -> bool:
    """Whether ``order_id`` looks like one of the network's order ids (safe in a path)."""
    return _ORDER_ID.fullmatch(order_id) is not None


def order_body(request: OrderRequest) -> dict[str, Any]:
    """The create body; the same request always gives the same body, as replays need."""
    buyer = request.buyer
    return {
        "buyer": {
            "name": buyer.name,
            "organization_id": buyer.organization_id,
            "home_network": buyer.home_network,
            "delivery_region_code": buyer.delivery_region_code,
        },
        "lines": [
            {"item_id": line.product_id, "quantity": line.quantity} for line in request.lines
        ],
    }


class _Problem(BaseModel):
    item_id: str | None = None
    field: str | None = None
    problem: str | None = None


class _ErrorBody(BaseModel):
    code: str
    message: str
    details: list[_Problem] = []


class _ErrorAnswer(BaseModel):
    error: _ErrorBody


def refusal(error: NetworkRejected) -> NetworkRejected:
    """``error`` restated as the network's own message and each line's problem.

    ``"not enough stock for some lines (itm_000001: only 3 in stock) [insufficient_stock]"``;
    an answer that is not the network's error shape keeps the message it had.
    """
    try:
        answer = _ErrorAnswer.model_validate(error.body).error
    except ValidationError:
        return error
    problems = "; ".join(
        f"{p.item_id or p.field}: {p.problem}" if (p.item_id or p.field) else str(p.problem)
        for p in answer.details
        if p.problem
    )
    message = f"{answer.message} ({problems})" if problems else answer.message
    return NetworkRejected(
        error.network,
        f"{message} [{answer.code}]",
        error.status,
        error.body,
        request_id=error.request_id,
    )
