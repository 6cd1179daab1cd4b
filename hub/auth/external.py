"""One external token issuer: its JWKS fetched over HTTP, cached, refreshed on unknown kids.

A kid the cached set lacks triggers a refetch, at most once per ``min_refresh`` seconds,
so a stream of tokens with made-up kids cannot make the hub hammer the issuer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

logger = logging.getLogger("hub.auth")


class RemoteKeySet:
    """The key set at ``url``, fetched with ``client`` when a kid is not known yet."""

    def __init__(
        self,
        url: str,
        client: httpx.AsyncClient,
        *,
        min_refresh: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.client = client
        self.min_refresh = min_refresh
        self.clock = clock
        self.fetches = 0
        self._keys: dict[str, Key] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def find(self, kid: str) -> Key | None:
        """The key named ``kid``, refetching the set once if allowed; None if not there."""
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys and self._may_refresh():
                await self._refresh()
        return self._keys.get(kid)

    def _may_refresh(self) -> bool:
        return self._fetched_at is None or self.clock() - self._fetched_at >= self.min_refresh

    async def _refresh(self) -> None:
        self._fetched_at = self.clock()
        self.fetches += 1
        try:
            response = await self.client.get(self.url, timeout=5.0)
            response.raise_for_status()
            key_set = KeySet.import_key_set(response.json())
        except (httpx.HTTPError, ValueError, JoseError) as error:
            logger.warning("external JWKS at %s unusable: %s", self.url, error)
            return
        self._keys = {
            key.kid: key for key in key_set.keys if key.kid and key.get("use", "sig") == "sig"
        }
