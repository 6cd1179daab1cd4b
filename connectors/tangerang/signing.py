"""Tangerang's request signing, from its documented scheme (the hub's own implementation)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Generator

import httpx


class HmacAuth(httpx.Auth):
    """Signs every request: HMAC-SHA256 over method, path?query, timestamp, nonce, body hash."""

    requires_request_body = True

    def __init__(self, client_id: str, secret: str) -> None:
        self._client_id = client_id
        self._secret = secret.encode()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add X-Client-Id, X-Timestamp, X-Nonce and X-Signature to ``request``."""
        timestamp = str(int(time.time()))
        nonce = secrets.token_urlsafe(24)
        message = "\n".join(
            (
                request.method.upper(),
                request.url.raw_path.decode("ascii"),
                timestamp,
                nonce,
                hashlib.sha256(request.content).hexdigest(),
            )
        )
        request.headers.update(
            {
                "X-Client-Id": self._client_id,
                "X-Timestamp": timestamp,
                "X-Nonce": nonce,
                "X-Signature": hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest(),
            }
        )
        yield request
