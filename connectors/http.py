"""JSON over one pooled ``httpx.AsyncClient``, with every failure mapped to the error tree."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

import httpx
import orjson
from pydantic import TypeAdapter, ValidationError

from connectors.errors import (
    NetworkProtocolError,
    NetworkRateLimited,
    NetworkRejected,
    NetworkTimeout,
    NetworkUnavailable,
    logged,
)

T = TypeVar("T")


class JsonClient:
    """Requests to one network: a deadline on every call, JSON in and out, typed errors."""

    def __init__(
        self,
        network: str,
        base_url: str,
        *,
        timeout: float,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_connections: int = 100,
    ) -> None:
        self.network = network
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout),
            auth=auth,
            headers=dict(headers or {}),
            transport=transport,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=32),
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
        expected: Collection[int] = (),
    ) -> Any:
        """The decoded JSON body of a 2xx answer; a ConnectorError for anything else.

        The error's message is the hub's own words; the URL, the network's body and the
        transport's exception (which names the URL) are logged under its request id.
        ``expected``: 4xx statuses the caller reads as an answer (a lookup's 404), raised
        as ``NetworkRejected`` without a log line.
        """
        content: bytes | None = None
        if json is not None:
            # orjson, not httpx's json.dumps: the same compact UTF-8 bytes, ~10x faster.
            content = orjson.dumps(json)
            headers = {**(headers or {}), "Content-Type": "application/json"}
        try:
            response = await self._client.request(
                method,
                path,
                params=params,
                content=content,
                data=data,
                headers=headers,
                auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as error:
            where = self._where(method, path)
            message = "no answer in time"
            raise NetworkTimeout(
                self.network,
                message,
                request_id=logged(self.network, message, _cause(where, error)),
            ) from None
        except httpx.TransportError as error:
            where = self._where(method, path)
            message = "unreachable"
            raise NetworkUnavailable(
                self.network,
                message,
                request_id=logged(self.network, message, _cause(where, error)),
            ) from None
        except httpx.RequestError as error:
            # Undecodable content, a redirect loop: the network answered, unreadably.
            where = self._where(method, path)
            message = "answer the hub cannot read"
            raise NetworkProtocolError(
                self.network,
                message,
                request_id=logged(self.network, message, _cause(where, error)),
            ) from None
        status = response.status_code
        if status == 429:
            raise NetworkRateLimited(
                self.network, "rate limited", _retry_after(response.headers.get("retry-after"))
            )
        if status >= 500:
            message = f"server error (HTTP {status})"
            raise NetworkUnavailable(
                self.network, message, request_id=logged(self.network, message, _said(response))
            )
        if status >= 400:
            message = f"request rejected (HTTP {status})"
            quiet = status in expected
            raise NetworkRejected(
                self.network,
                message,
                status,
                _json_or_none(response),
                request_id=None if quiet else logged(self.network, message, _said(response)),
            )
        try:
            return orjson.loads(response.content)
        except ValueError:  # orjson.JSONDecodeError is one
            message = "answer is not JSON"
            raise NetworkProtocolError(
                self.network, message, request_id=logged(self.network, message, _said(response))
            ) from None

    def _where(self, method: str, path: str) -> str:
        """The request, for the log (built only when something failed)."""
        return f"{method} {self._client.base_url.join(path)}"

    async def aclose(self) -> None:
        await self._client.aclose()


def parse(network: str, adapter: TypeAdapter[T], data: Any) -> T:
    """Validate a network's answer against the shape we expect from it."""
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        # The validation errors quote the network's answer: the log's, not the client's.
        message = "answer in an unexpected shape"
        detail = str(error.errors(include_url=False)[:3])
        raise NetworkProtocolError(
            network, message, request_id=logged(network, message, detail)
        ) from None


def _cause(where: str, error: httpx.RequestError) -> str:
    return f"{where}: {error!r}"


def _said(response: httpx.Response) -> str:
    """The request and what the network answered to it, for the log."""
    request = response.request
    return f"{request.method} {request.url} answered {response.status_code}: {response.text[:500]}"


def _json_or_none(response: httpx.Response) -> object:
    try:
        return orjson.loads(response.content)
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
