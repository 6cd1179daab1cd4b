"""Read a GraphQL-over-HTTP request (GET query string or POST JSON body) into parameters.

Anything that is not a well-formed request raises ``HttpError`` with the status the
GraphQL-over-HTTP spec asks for: 400 for a malformed body or parameters, 413 for a body
over the limit, 415 for a POST that is not ``application/json``.

A POST body may also be a JSON array of request objects (a batch) of at most
``max_batch_size`` operations; 0 turns batching off. A request may leave out ``query``
when its ``extensions`` name a persisted query (``hub.persisted``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request

BATCH_TOO_LARGE = "BATCH_TOO_LARGE"


class HttpError(Exception):
    """A request refused before GraphQL sees it: an HTTP status, a message and a code."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        *,
        code: str = "BAD_REQUEST",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.code = code


@dataclass(frozen=True)
class GraphQLParams:
    """The four parameters of a GraphQL-over-HTTP request."""

    query: str | None
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


async def read_post(
    request: Request, max_body_bytes: int, max_batch_size: int = 0
) -> GraphQLParams | list[GraphQLParams]:
    """Parameters from a POST with a JSON body of at most ``max_body_bytes``.

    A JSON array is a batch: a list of parameters, one per operation.
    """
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
    if isinstance(document, list):
        return _batch(document, max_batch_size)
    if not isinstance(document, dict):
        raise HttpError(400, "The request body must be a JSON object with a query.")
    return object_params(document)


def _batch(documents: list[Any], max_batch_size: int) -> list[GraphQLParams]:
    if max_batch_size == 0:
        raise HttpError(
            400,
            "Batched requests are off: send one JSON object per request.",
            code=BATCH_TOO_LARGE,
        )
    if len(documents) > max_batch_size:
        raise HttpError(
            400,
            f"A batch holds at most {max_batch_size} operations; this one has {len(documents)}.",
            code=BATCH_TOO_LARGE,
        )
    if not documents:
        raise HttpError(400, "The batch is empty: send at least one operation.")
    if not all(isinstance(d, dict) for d in documents):
        raise HttpError(400, "Each operation in a batch must be a JSON object with a query.")
    return [object_params(d) for d in documents]


def object_params(document: dict[str, Any]) -> GraphQLParams:
    """Parameters from a JSON request object (a POST body, a batch entry, or a WebSocket
    ``subscribe`` payload); ``HttpError`` 400 when one is of the wrong kind."""
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
    persisted = isinstance(extensions, dict) and "persistedQuery" in extensions
    if query is None and not persisted:
        raise HttpError(400, "The request has no query: send the GraphQL document as 'query'.")
    if query is not None and not isinstance(query, str):
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
