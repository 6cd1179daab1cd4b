"""The Tangerang request-signing scheme, for clients and for the server's own checks.

A request is signed with HMAC-SHA256 over four lines::

    METHOD
    /path?query        (exactly as sent, query string included when present)
    unix timestamp     (seconds, the value of X-Timestamp)
    sha256 hex of the body (of the empty string when there is none)

and sent with ``X-Client-Id``, ``X-Timestamp`` and ``X-Signature`` (lowercase hex).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Generator

import httpx

CLIENT_HEADER = "X-Client-Id"
TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_HEADER = "X-Signature"


def body_digest(body: bytes) -> str:
    """Hex SHA-256 of the request body."""
    return hashlib.sha256(body).hexdigest()


def string_to_sign(method: str, path_with_query: str, timestamp: int | str, body: bytes) -> str:
    """The exact text that is signed."""
    return f"{method.upper()}\n{path_with_query}\n{timestamp}\n{body_digest(body)}"


def sign(
    secret: str, method: str, path_with_query: str, timestamp: int | str, body: bytes = b""
) -> str:
    """The hex HMAC-SHA256 signature of one request."""
    message = string_to_sign(method, path_with_query, timestamp, body)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def signed_headers(
    client_id: str,
    secret: str,
    method: str,
    path_with_query: str,
    body: bytes = b"",
    timestamp: int | None = None,
) -> dict[str, str]:
    """The three authentication headers for one request, timestamped now by default."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        CLIENT_HEADER: client_id,
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: sign(secret, method, path_with_query, ts, body),
    }


class HmacAuth(httpx.Auth):
    """httpx authentication that signs every request it sends.

    The server accepts each signature once, so an identical request sent again within
    the same second is stamped one second later than the previous one.
    """

    requires_request_body = True
    _REMEMBERED = 4_096

    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id = client_id
        self.secret = secret
        self._last_stamp: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def _timestamp(self, request_key: str) -> int:
        with self._lock:
            stamp = max(int(time.time()), self._last_stamp.get(request_key, 0) + 1)
            self._last_stamp[request_key] = stamp
            self._last_stamp.move_to_end(request_key)
            while len(self._last_stamp) > self._REMEMBERED:
                self._last_stamp.popitem(last=False)
            return stamp

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the signature headers to ``request``."""
        target = request.url.raw_path.decode("ascii")
        body = request.content
        stamp = self._timestamp(f"{request.method} {target} {body_digest(body)}")
        request.headers.update(
            signed_headers(self.client_id, self.secret, request.method, target, body, stamp)
        )
        yield request
