"""PaDi's errors: GraphQL errors with a code in ``extensions``, REST errors as JSON.

Inside GraphQL a failure is a ``PadiError`` whose code says what went wrong in PaDi's own
words; outside it (token, admin, rate limit, malformed requests) it is the shared
``ApiError`` rendered as ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from networks.common.errors import ApiError
from networks.common.http import validation_details

log = logging.getLogger(__name__)

INVALID_INPUT = "INVALID_INPUT"
NOT_FOUND = "NOT_FOUND"
DUPLICATE_REFERENCE = "DUPLICATE_REFERENCE"
INVALID_STATE = "INVALID_STATE"
OUT_OF_STOCK = "OUT_OF_STOCK"
INTERNAL = "INTERNAL"


class PadiError(Exception):
    """A failure a GraphQL client should see, with PaDi's code for it."""

    def __init__(
        self, code: str, message: str, details: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []


def invalid_input(error: ValidationError) -> PadiError:
    """A pydantic validation failure as PaDi's INVALID_INPUT."""
    return PadiError(INVALID_INPUT, "input is not valid", validation_details(error))


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON body of every PaDi REST error."""
    return {"error": {"code": code, "message": message, "details": details or []}}


async def handle_api_error(_: Request, exc: Exception) -> Response:
    """Render an ``ApiError`` in PaDi's style."""
    assert isinstance(exc, ApiError)
    return JSONResponse(
        error_body(exc.code.upper(), exc.message, exc.details),
        status_code=exc.status,
        headers=exc.headers,
    )


async def handle_http_exception(_: Request, exc: Exception) -> Response:
    """Starlette's 404/405 (and friends) in PaDi's style."""
    assert isinstance(exc, HTTPException)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
    return JSONResponse(
        error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def handle_unexpected(_: Request, exc: Exception) -> Response:
    """Anything unforeseen: logged here, a bare 500 for the client."""
    log.error("unexpected error", exc_info=exc)
    return JSONResponse(error_body(INTERNAL, "internal error"), status_code=500)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ApiError: handle_api_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
