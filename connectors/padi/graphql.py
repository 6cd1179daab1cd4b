"""POST /graphql as PaDi's OAuth client: typed answers and PaDi's error codes mapped.

After a 429 no call reaches PaDi until its Retry-After has passed: each one fails fast
with ``NetworkRateLimited`` instead of hammering a network that asked us to wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, Field, TypeAdapter

from connectors.errors import (
    ConnectorError,
    NetworkRateLimited,
    NetworkRejected,
    NetworkUnavailable,
    logged,
)
from connectors.http import JsonClient, parse
from connectors.padi.auth import BearerAuth, TokenCache

T = TypeVar("T")

GRAPHQL_PATH = "/graphql"
INTERNAL = "INTERNAL"
# How long to hold back after a 429 that named no Retry-After.
DEFAULT_BACKOFF_SECONDS = 1.0


# PaDi's codes as HTTP would say them: a conflict with the network's state, or bad input.
STATUS_OF_CODE: dict[str, int] = {
    "INVALID_INPUT": 422,
    "NOT_FOUND": 404,
    "DUPLICATE_REFERENCE": 409,
    "INVALID_STATE": 409,
    "OUT_OF_STOCK": 409,
}


class PadiRejected(NetworkRejected):
    """PaDi refused an operation: its first error's code and details, for callers to read.

    ``message`` is the hub's; ``said`` is PaDi's own wording, for the order refusals that
    restate it to the buyer (``connectors/padi/orders.py``) and nowhere else.
    """

    def __init__(
        self,
        network: str,
        message: str,
        code: str,
        details: list[dict[str, Any]],
        *,
        said: str = "",
        request_id: str | None = None,
    ) -> None:
        super().__init__(network, message, STATUS_OF_CODE.get(code, 400), request_id=request_id)
        self.code = code
        self.details = details
        self.said = said


class _Extensions(BaseModel):
    code: str = "UNKNOWN"
    details: list[dict[str, Any]] = Field(default_factory=list)


class _Error(BaseModel):
    message: str = ""
    extensions: _Extensions = Field(default_factory=_Extensions)


class _Envelope(BaseModel):
    data: Any = None
    errors: list[_Error] = Field(default_factory=list)


_ENVELOPE = TypeAdapter(_Envelope)


class GraphQLClient:
    """Operations against PaDi's GraphQL endpoint, authenticated with a cached JWT."""

    def __init__(
        self,
        http: JsonClient,
        client_id: str,
        client_secret: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.network = http.network
        self._http = http
        self._auth = BearerAuth(TokenCache(http, client_id, client_secret, clock))
        self._clock = clock
        self._blocked_until = 0.0

    async def execute(
        self, document: str, variables: Mapping[str, Any], adapter: TypeAdapter[T]
    ) -> T:
        """The operation's ``data`` validated by ``adapter``; a ConnectorError otherwise."""
        self._hold_back()
        try:
            body = await self._http.request(
                "POST",
                GRAPHQL_PATH,
                json={"query": document, "variables": dict(variables)},
                auth=self._auth,
            )
        except NetworkRateLimited as limited:
            wait = limited.retry_after
            self._blocked_until = self._clock() + (
                wait if wait is not None else DEFAULT_BACKOFF_SECONDS
            )
            raise
        envelope = parse(self.network, _ENVELOPE, body)
        if envelope.errors:
            raise _failure(self.network, envelope.errors)
        return parse(self.network, adapter, envelope.data)

    def _hold_back(self) -> None:
        wait = self._blocked_until - self._clock()
        if wait > 0:
            raise NetworkRateLimited(self.network, "rate limited: waiting out Retry-After", wait)


def _failure(network: str, errors: list[_Error]) -> ConnectorError:
    """PaDi's own fault (INTERNAL) is an outage; every other code refuses our request.

    PaDi's messages go to the log under the request id, not into the error's message.
    """
    said = "; ".join(f"{e.extensions.code}: {e.message}" for e in errors[:3])
    if any(e.extensions.code == INTERNAL for e in errors):
        message = "server error (INTERNAL)"
        return NetworkUnavailable(
            network, message, request_id=logged(network, message, f"{GRAPHQL_PATH}: {said}")
        )
    first = errors[0].extensions
    message = f"request rejected ({first.code})"
    request_id = logged(network, message, f"{GRAPHQL_PATH}: {said}")
    return PadiRejected(
        network, message, first.code, first.details, said=said, request_id=request_id
    )
