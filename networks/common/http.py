"""Request helpers shared by the REST networks: validated input and admin checks."""

from __future__ import annotations

import hmac
import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from networks.common.errors import ApiError, bad_request, unauthorized, unprocessable

Model = TypeVar("Model", bound=BaseModel)
MAX_BODY_BYTES = 1_000_000


def validation_details(error: ValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(p) for p in item["loc"]), "problem": item["msg"]}
        for item in error.errors(include_url=False)
    ]


def parse_query(request: Request, model: type[Model]) -> Model:
    """Validate the query string against ``model``; repeated keys become lists."""
    raw: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        raw[key] = values if len(values) > 1 else values[0]
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise bad_request("invalid query parameters", validation_details(error)) from None


async def read_body(request: Request) -> bytes:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"body over {MAX_BODY_BYTES} bytes")
    return body


async def parse_body(request: Request, model: type[Model]) -> Model:
    """Validate a JSON body against ``model``: malformed JSON and wrong types are 4xx."""
    body = await read_body(request)
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise bad_request("body is not valid JSON") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise unprocessable("body does not match the schema", validation_details(error)) from None


def require_admin(request: Request, token: str) -> None:
    """Admin endpoints take ``Authorization: Bearer <admin token>``."""
    supplied = request.headers.get("authorization", "")
    if not hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode()):
        raise unauthorized("admin token required")
