"""The OpenAPI 3.1 document of the Tangerang API, served at /openapi.json."""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from networks.common.openapi import Operation, build_openapi
from networks.tangerang import schemas as s
from networks.tangerang.paging import PageQuery

_PAGE = ("Paging: `limit` (1..max_page_size) and the opaque `cursor` from `next_cursor`.",)
_IDEMPOTENCY = (("Idempotency-Key", "unique per order attempt, scoped to the client", True),)
_LAST_EVENT = (("Last-Event-ID", "resume after this transaction sequence number", False),)

OPERATIONS: list[Operation] = [
    Operation(
        "GET",
        "/v2/cooperatives",
        "listCooperatives",
        "List cooperatives",
        s.CooperativePage,
        s.CooperativeQuery,
        tags=("directory",),
    ),
    Operation(
        "GET",
        "/v2/cooperatives/{id}",
        "getCooperative",
        "Get a cooperative",
        s.Cooperative,
        tags=("directory",),
    ),
    Operation(
        "POST",
        "/v2/cooperatives:batchGet",
        "batchGetCooperatives",
        "Get cooperatives by id",
        s.CooperativeBatch,
        body=s.BatchGetRequest,
        tags=("directory",),
    ),
    Operation(
        "GET",
        "/v2/cooperatives/{id}/members",
        "listMembers",
        "List a cooperative's members",
        s.MemberPage,
        PageQuery,
        tags=("members",),
    ),
    Operation(
        "GET",
        "/v2/merchants",
        "listMerchants",
        "List UMKM merchants",
        s.MerchantPage,
        s.MerchantQuery,
        tags=("directory",),
    ),
    Operation(
        "GET",
        "/v2/merchants/{id}",
        "getMerchant",
        "Get a merchant",
        s.Merchant,
        tags=("directory",),
    ),
    Operation(
        "POST",
        "/v2/merchants:batchGet",
        "batchGetMerchants",
        "Get merchants by id",
        s.MerchantBatch,
        body=s.BatchGetRequest,
        tags=("directory",),
    ),
    Operation(
        "POST",
        "/v2/merchants:batchGetByNib",
        "batchGetMerchantsByNib",
        "Get merchants by NIB",
        s.MerchantBatch,
        body=s.NibLookupRequest,
        tags=("directory",),
    ),
    Operation(
        "GET",
        "/v2/catalog/items",
        "listItems",
        "Search catalog items",
        s.ItemPage,
        s.ItemQuery,
        tags=("catalog",),
    ),
    Operation("GET", "/v2/catalog/items/{id}", "getItem", "Get an item", s.Item, tags=("catalog",)),
    Operation(
        "POST",
        "/v2/catalog/items:batchGet",
        "batchGetItems",
        "Get items by id",
        s.ItemBatch,
        body=s.BatchGetRequest,
        tags=("catalog",),
    ),
    Operation(
        "GET",
        "/v2/catalog/changes",
        "listChanges",
        "Item changes after a cursor",
        s.ChangePage,
        s.ChangesQuery,
        tags=("catalog",),
    ),
    Operation(
        "POST",
        "/v2/orders",
        "createOrder",
        "Place an order",
        s.Order,
        body=s.OrderCreate,
        status=201,
        headers=_IDEMPOTENCY,
        tags=("orders",),
    ),
    Operation(
        "GET",
        "/v2/orders",
        "listOrders",
        "List your orders (one by its Idempotency-Key)",
        s.OrderPage,
        s.OrderQuery,
        tags=("orders",),
    ),
    Operation(
        "GET", "/v2/orders/{id}", "getOrder", "Get one of your orders", s.Order, tags=("orders",)
    ),
    Operation(
        "POST",
        "/v2/orders/{id}:cancel",
        "cancelOrder",
        "Cancel an order (until shipped)",
        s.Order,
        tags=("orders",),
    ),
    Operation("GET", "/v2/members/{id}", "getMember", "Get a member", s.Member, tags=("members",)),
    Operation(
        "GET",
        "/v2/members/{id}/bills",
        "listBills",
        "A member's bills",
        s.BillPage,
        s.BillQuery,
        tags=("members",),
    ),
    Operation(
        "POST", "/v2/bills/{id}:pay", "payBill", "Pay a bill", s.BillPayment, tags=("members",)
    ),
    Operation(
        "GET",
        "/v2/transactions",
        "listTransactions",
        "List transactions",
        s.TransactionPage,
        s.TransactionQuery,
        tags=("transactions",),
    ),
    Operation(
        "GET",
        "/v2/transactions/stream",
        "streamTransactions",
        "Live transactions (server-sent events)",
        query=s.StreamQuery,
        headers=_LAST_EVENT,
        content_type="text/event-stream",
        tags=("transactions",),
    ),
    Operation(
        "PUT",
        "/admin/items/{id}",
        "adminPutItem",
        "Create or replace an item",
        s.Item,
        body=s.ItemUpsert,
        tags=("admin",),
    ),
    Operation(
        "DELETE",
        "/admin/items/{id}",
        "adminDeleteItem",
        "Delete an item",
        status=204,
        tags=("admin",),
    ),
    Operation(
        "POST",
        "/admin/orders/{id}:advance",
        "adminAdvanceOrder",
        "Move an order one status on",
        s.Order,
        tags=("admin",),
    ),
    Operation(
        "POST",
        "/admin/transactions",
        "adminCreateTransaction",
        "Record a transaction",
        s.Transaction,
        body=s.TransactionCreate,
        status=201,
        tags=("admin",),
    ),
]

SECURITY = {
    "type": "apiKey",
    "in": "header",
    "name": "X-Signature",
    "description": (
        "HMAC-SHA256 signed requests: send X-Client-Id, X-Timestamp (unix seconds), "
        "X-Nonce (16-64 of [A-Za-z0-9_-], new per request) and X-Signature = hex "
        "HMAC-SHA256(secret, METHOD\\npath?query\\ntimestamp\\nnonce\\nsha256_hex(body)). "
        "Timestamps must be within the replay window and each nonce is accepted once. "
        "Admin endpoints take Authorization: Bearer <token>."
    ),
}


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document (built once)."""
    return build_openapi(
        title="Tangerang cooperative network",
        version="2.0",
        description="Kota Tangerang cooperatives, UMKM merchants, catalog, orders, bills "
        "and transactions. " + _PAGE[0],
        operations=OPERATIONS,
        security_scheme=SECURITY,
        error_model=s.ErrorResponse,
    )


async def openapi_json(_: Request) -> Response:
    """GET /openapi.json"""
    return JSONResponse(openapi_document())


routes = [Route("/openapi.json", openapi_json, methods=["GET"])]
