"""PaDi's OAuth2 client credentials: one cached JWT, refreshed shortly before it expires.

The token request is a plain form POST through the connector's own ``JsonClient`` rather
than authlib's httpx client: authlib's httpx integration emits a deprecation warning for
httpx (it now prefers httpx2), and the hub runs with warnings as errors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Generator

import httpx
from pydantic import BaseModel, Field, TypeAdapter

from connectors.errors import NetworkProtocolError, logged
from connectors.http import JsonClient, parse

TOKEN_PATH = "/oauth/token"
# Refresh this long before expiry (at most a fifth of the lifetime), so no call carries a
# token that expires in flight.
REFRESH_MARGIN_SECONDS = 30.0


class TokenAnswer(BaseModel):
    """RFC 6749 §5.1 access token response."""

    access_token: str = Field(min_length=1)
    token_type: str
    expires_in: float = Field(gt=0)


_TOKEN_ANSWER = TypeAdapter(TokenAnswer)


class TokenCache:
    """The current access token; one token request at a time however many calls wait."""

    def __init__(
        self,
        http: JsonClient,
        client_id: str,
        client_secret: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._credentials = httpx.BasicAuth(client_id, client_secret)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0

    async def token(self) -> str:
        """A token to use now: the cached one, or a new one from PaDi's token endpoint."""
        current = self._fresh()
        if current is not None:
            return current
        async with self._lock:
            return self._fresh() or await self._fetch()

    def discard(self, token: str) -> None:
        """Forget ``token`` after PaDi refused it, unless a newer one already replaced it."""
        if self._token == token:
            self._token = None

    def _fresh(self) -> str | None:
        return self._token if self._clock() < self._refresh_at else None

    async def _fetch(self) -> str:
        asked_at = self._clock()
        body = await self._http.request(
            "POST",
            TOKEN_PATH,
            data={"grant_type": "client_credentials"},
            auth=self._credentials,
        )
        answer = parse(self._http.network, _TOKEN_ANSWER, body)
        if answer.token_type.lower() != "bearer":
            network = self._http.network
            message = "token of an unexpected type"
            detail = f"{TOKEN_PATH}: token type {answer.token_type!r}, expected Bearer"
            raise NetworkProtocolError(
                network, message, request_id=logged(network, message, detail)
            )
        margin = min(REFRESH_MARGIN_SECONDS, answer.expires_in / 5)
        self._token = answer.access_token
        self._refresh_at = asked_at + answer.expires_in - margin
        return answer.access_token


class BearerAuth(httpx.Auth):
    """Sends the cached token; on a 401 ``invalid_token`` refreshes once and retries once."""

    requires_response_body = True

    def __init__(self, tokens: TokenCache) -> None:
        self._tokens = tokens

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("PaDi's token flow is asynchronous: use an httpx.AsyncClient")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._tokens.token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401 and _invalid_token(response):
            self._tokens.discard(token)
            request.headers["Authorization"] = f"Bearer {await self._tokens.token()}"
            yield request


def _invalid_token(response: httpx.Response) -> bool:
    return 'error="invalid_token"' in response.headers.get("www-authenticate", "")
