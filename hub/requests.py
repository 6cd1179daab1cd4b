"""Read a GraphQL-over-HTTP request (GET query string or POST JSON body) into parameters.

Anything that is not a well-formed request raises ``HttpError`` with the status the
GraphQL-over-HTTP spec asks for: 400 for a malformed body or parameters, 413 for a body
over the limit, 415 for a POST that is not ``application/json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request


class HttpError(Exception):
    """A request refused before GraphQL sees it: an HTTP status and a message for people."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class GraphQLParams:
    """The four parameters of a GraphQL-over-HTTP request."""

    query: str
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


async def read_post(request: Request, max_body_bytes: int) -> GraphQLParams:
    """Parameters from a POST with a JSON body of at most ``max_body_bytes``."""
    content_type = request.headers.get("content-type")
    if content_type is None:
        raise HttpError(415, "A POST needs a Content-Type header: application/json.")
    media, _, params = content_type.partition(";")
    if media.strip().lower() != "application/json":
        raise HttpError(415, f"Unsupported Content-Type {media.strip()!r}: use application/json.")
    charset = _charset(params)
    if charset not in (None, "utf-8", "utf8"):
        raise HttpError(415, f"Unsupported charset {charset!r}: use utf-8.")
    body = await _read_body(request, max_body_bytes)
    if not body.strip():
        raise HttpError(400, "The request body is empty: send a JSON object with a query.")
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise HttpError(400, "The request body is not valid JSON.") from None
    if not isinstance(document, dict):
        raise HttpError(400, "The request body must be a JSON object with a query.")
    return _params(
        document.get("query"),
        document.get("operationName"),
        document.get("variables"),
        document.get("extensions"),
    )


def read_get(request: Request) -> GraphQLParams:
    """Parameters from a GET query string; variables and extensions are JSON strings."""
    args = request.query_params
    return _params(
        args.get("query"),
        args.get("operationName") or None,
        _json_arg(args.get("variables"), "variables"),
        _json_arg(args.get("extensions"), "extensions"),
    )


def _params(query: Any, operation_name: Any, variables: Any, extensions: Any) -> GraphQLParams:
    if query is None:
        raise HttpError(400, "The request has no query: send the GraphQL document as 'query'.")
    if not isinstance(query, str):
        raise HttpError(400, "'query' must be a string holding the GraphQL document.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise HttpError(400, "'operationName' must be a string or null.")
    if variables is not None and not isinstance(variables, dict):
        raise HttpError(400, "'variables' must be a JSON object (map) or null.")
    if extensions is not None and not isinstance(extensions, dict):
        raise HttpError(400, "'extensions' must be a JSON object (map) or null.")
    return GraphQLParams(query, operation_name or None, variables, extensions or {})


def _json_arg(text: str | None, name: str) -> Any:
    if text is None or text == "":
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        raise HttpError(400, f"'{name}' must be a JSON-encoded object.") from None


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = HttpError(413, f"The request body is larger than {limit} bytes.")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_large
        except ValueError:
            raise HttpError(400, "The Content-Length header is not a number.") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
