"""Admin REST endpoints (Bearer admin token): product upserts and order advances."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.errors import ApiError
from networks.common.http import parse_body, require_admin
from networks.padi import catalog, ids, orders
from networks.padi.errors import PadiError
from networks.padi.records import ProductUpsert
from networks.padi.settings import PadiSettings

_STATUS = {"NOT_FOUND": 404, "INVALID_STATE": 409, "INVALID_INPUT": 422}
_PRODUCT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _as_api_error(error: PadiError) -> ApiError:
    return ApiError(_STATUS.get(error.code, 400), error.code, error.message, error.details)


def admin_routes(settings: PadiSettings) -> list[Route]:
    """The admin routes, all guarded by ``settings.admin_token``."""

    async def put_product(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        product_id = _product_id(request)
        body = await parse_body(request, ProductUpsert)
        try:
            async with database(request).write() as session:
                product, created = await catalog.upsert_product(session, product_id, body)
        except PadiError as error:
            raise _as_api_error(error) from None
        return JSONResponse(product.model_dump(by_alias=True), status_code=201 if created else 200)

    async def delete_product(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        product_id = _product_id(request)
        try:
            async with database(request).write() as session:
                await catalog.delete_product(session, product_id)
        except PadiError as error:
            raise _as_api_error(error) from None
        return Response(status_code=204)

    async def advance_order(request: Request) -> Response:
        require_admin(request, settings.admin_token)
        number = ids.parse_id(ids.ORDER, request.path_params["id"])
        if number is None:
            raise ApiError(404, "NOT_FOUND", "purchase order not found")
        try:
            async with database(request).write() as session:
                order = await orders.advance_purchase_order(session, number)
        except PadiError as error:
            raise _as_api_error(error) from None
        body = order.model_dump(by_alias=True)
        body["id"] = ids.format_id(ids.ORDER, order.id)
        return JSONResponse(body)

    return [
        Route("/admin/products/{id}", put_product, methods=["PUT"]),
        Route("/admin/products/{id}", delete_product, methods=["DELETE"]),
        Route("/admin/purchase-orders/{id}/advance", advance_order, methods=["POST"]),
    ]


def _product_id(request: Request) -> str:
    product_id: str = request.path_params["id"]
    if not _PRODUCT_ID.match(product_id):
        raise ApiError(
            400, "INVALID_INPUT", "product ids are 1-100 letters, digits, '.', '_' or '-'"
        )
    return product_id
