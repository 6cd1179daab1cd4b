"""JSON over one pooled ``httpx.AsyncClient``, with every failure mapped to the error tree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from connectors.errors import (
    NetworkProtocolError,
    NetworkRateLimited,
    NetworkRejected,
    NetworkTimeout,
    NetworkUnavailable,
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
    ) -> Any:
        """The decoded JSON body of a 2xx answer; a ConnectorError for anything else."""
        try:
            response = await self._client.request(
                method,
                path,
                params=params,
                json=json,
                data=data,
                headers=headers,
                auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException:
            raise NetworkTimeout(self.network, f"no answer to {method} {path} in time") from None
        except httpx.TransportError as error:
            raise NetworkUnavailable(self.network, f"cannot reach it: {error!r}") from None
        if response.status_code == 429:
            raise NetworkRateLimited(
                self.network, "rate limited", _retry_after(response.headers.get("retry-after"))
            )
        if response.status_code >= 500:
            raise NetworkUnavailable(
                self.network, f"{method} {path} answered {response.status_code}"
            )
        if response.status_code >= 400:
            raise NetworkRejected(
                self.network,
                f"{method} {path} answered {response.status_code}: {response.text[:300]}",
                response.status_code,
                _json_or_none(response),
            )
        try:
            return response.json()
        except ValueError:
            raise NetworkProtocolError(self.network, f"{method} {path}: body is not JSON") from None

    async def aclose(self) -> None:
        await self._client.aclose()


def parse(network: str, adapter: TypeAdapter[T], data: Any) -> T:
    """Validate a network's answer against the shape we expect from it."""
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        raise NetworkProtocolError(network, f"unexpected answer: {error.errors()[:3]}") from None


def _json_or_none(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
