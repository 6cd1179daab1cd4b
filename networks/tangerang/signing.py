"""The Tangerang request-signing scheme, for clients and for the server's own checks.

A request is signed with HMAC-SHA256 over five lines::

    METHOD
    /path?query        (exactly as sent, query string included when present)
    unix timestamp     (seconds, the value of X-Timestamp)
    nonce              (the value of X-Nonce: 16-64 characters of [A-Za-z0-9_-], new per request)
    sha256 hex of the body (of the empty string when there is none)

and sent with ``X-Client-Id``, ``X-Timestamp``, ``X-Nonce`` and ``X-Signature`` (lowercase
hex). The nonce is what makes two identical requests in the same second distinguishable
from a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Generator

import httpx

CLIENT_HEADER = "X-Client-Id"
TIMESTAMP_HEADER = "X-Timestamp"
NONCE_HEADER = "X-Nonce"
SIGNATURE_HEADER = "X-Signature"
NONCE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def body_digest(body: bytes) -> str:
    """Hex SHA-256 of the request body."""
    return hashlib.sha256(body).hexdigest()


def string_to_sign(
    method: str, path_with_query: str, timestamp: int | str, nonce: str, body: bytes
) -> str:
    """The exact text that is signed."""
    return f"{method.upper()}\n{path_with_query}\n{timestamp}\n{nonce}\n{body_digest(body)}"


def sign(
    secret: str,
    method: str,
    path_with_query: str,
    timestamp: int | str,
    nonce: str,
    body: bytes = b"",
) -> str:
    """The hex HMAC-SHA256 signature of one request."""
    message = string_to_sign(method, path_with_query, timestamp, nonce, body)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def signed_headers(
    client_id: str,
    secret: str,
    method: str,
    path_with_query: str,
    body: bytes = b"",
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four authentication headers for one request: now, with a fresh nonce, by default."""
    ts = int(time.time()) if timestamp is None else timestamp
    nonce = nonce or secrets.token_urlsafe(16)
    return {
        CLIENT_HEADER: client_id,
        TIMESTAMP_HEADER: str(ts),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(secret, method, path_with_query, ts, nonce, body),
    }


class HmacAuth(httpx.Auth):
    """httpx authentication that signs every request it sends."""

    requires_request_body = True

    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id = client_id
        self.secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the signature headers to ``request``."""
        target = request.url.raw_path.decode("ascii")
        request.headers.update(
            signed_headers(self.client_id, self.secret, request.method, target, request.content)
        )
        yield request
