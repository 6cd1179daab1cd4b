"""Verifying signed requests: known client, fresh timestamp, valid signature, no replay."""

from __future__ import annotations

import hmac
import time
from collections import OrderedDict

from starlette.requests import Request

from networks.common.errors import ApiError
from networks.common.http import read_body
from networks.tangerang.signing import (
    CLIENT_HEADER,
    NONCE_HEADER,
    NONCE_PATTERN,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)


def _denied(code: str, message: str, details: list[dict[str, str]] | None = None) -> ApiError:
    return ApiError(401, code, message, details or [], {"WWW-Authenticate": "HMAC-SHA256"})


class ReplayCache:
    """Nonces seen recently, each remembered until its timestamp leaves the window."""

    def __init__(self, max_entries: int) -> None:
        self._max_entries = max_entries
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._expiry)

    def check_and_remember(self, key: str, expires_at: float, now: float) -> bool:
        """Remember ``key``; False when it was already seen and has not expired."""
        self._forget_expired(now)
        known = self._expiry.get(key)
        if known is not None and known >= now:
            return False
        self._expiry[key] = expires_at
        self._expiry.move_to_end(key)
        while len(self._expiry) > self._max_entries:
            self._expiry.popitem(last=False)
        return True

    def _forget_expired(self, now: float) -> None:
        # Entries arrive roughly in expiry order; stopping at the first live one keeps
        # this O(expired) and a late straggler is only dropped a little later.
        while self._expiry:
            key, expires_at = next(iter(self._expiry.items()))
            if expires_at >= now:
                return
            del self._expiry[key]


class Authenticator:
    """Checks the HMAC headers of a request against the configured clients."""

    def __init__(self, clients: dict[str, str], window_seconds: int, cache_size: int) -> None:
        self._clients = dict(clients)
        self._window = window_seconds
        self._seen = ReplayCache(cache_size)

    async def authenticate(self, request: Request) -> str:
        """The client id of a correctly signed request; raises a 401 ApiError otherwise."""
        headers = request.headers
        required = (CLIENT_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER)
        missing = [name for name in required if not headers.get(name)]
        if missing:
            raise _denied(
                "missing_auth_headers",
                "signed requests need X-Client-Id, X-Timestamp, X-Nonce and X-Signature",
                [{"header": name, "problem": "missing"} for name in missing],
            )
        client_id = headers[CLIENT_HEADER]
        secret = self._clients.get(client_id)
        if secret is None:
            raise _denied("unknown_client", f"client {client_id!r} is not registered")
        raw_timestamp = headers[TIMESTAMP_HEADER]
        if not raw_timestamp.isascii() or not raw_timestamp.isdigit():
            raise _denied("invalid_timestamp", "X-Timestamp must be unix seconds")
        nonce = headers[NONCE_HEADER]
        if not NONCE_PATTERN.fullmatch(nonce):
            raise _denied("invalid_nonce", "X-Nonce must be 16-64 characters of [A-Za-z0-9_-]")
        timestamp = int(raw_timestamp)
        now = time.time()
        if abs(now - timestamp) > self._window:
            raise _denied(
                "timestamp_out_of_window",
                f"X-Timestamp is more than {self._window} s away from the server clock",
            )
        body = await read_body(request)
        target = _path_with_query(request)
        expected = sign(secret, request.method, target, raw_timestamp, nonce, body)
        supplied = headers[SIGNATURE_HEADER].lower()
        if not hmac.compare_digest(expected.encode(), supplied.encode()):
            raise _denied("invalid_signature", "X-Signature does not match the request")
        if not self._seen.check_and_remember(f"{client_id}:{nonce}", timestamp + self._window, now):
            raise _denied("replayed_request", "this nonce was already used")
        return client_id


def _path_with_query(request: Request) -> str:
    raw_path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    query: bytes = request.scope.get("query_string", b"")
    target = raw_path + (b"?" + query if query else b"")
    return target.decode("latin-1")
