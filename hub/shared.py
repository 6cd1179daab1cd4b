"""The Redis that hub replicas share (``HUB_REDIS_URL``), and how the hub lives without it.

Redis holds state every replica must see alike: rate-limit buckets and persisted
queries. When a Redis call fails, ``SharedRedis`` logs one warning, and callers fall back
to this replica's own memory; Redis is not tried again for ``pause`` seconds, so an
outage costs one short timeout, not one per request. When a call succeeds again, an
info line says so.
"""

from __future__ import annotations

import logging
import time

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

log = logging.getLogger("hub.shared")

FAILURES = (RedisError, OSError)


class SharedRedis:
    """One Redis client for the app, its key prefix, and an outage guard."""

    def __init__(self, url: str, prefix: str, *, timeout: float = 0.5, pause: float = 5.0) -> None:
        self.client: Redis = Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # no retries: a failure falls back at once
        )
        self.prefix = prefix
        self.pause = pause
        self._down_until: float | None = None

    def key(self, *parts: str) -> str:
        """A key under the hub's prefix: ``<prefix>:<part>:<part>``."""
        return ":".join((self.prefix, *parts))

    @property
    def available(self) -> bool:
        """False while pausing after a failure."""
        return self._down_until is None or time.monotonic() >= self._down_until

    def failed(self, error: BaseException) -> None:
        """Record a failed call: warn once per outage, and pause."""
        if self._down_until is None:
            log.warning(
                "Redis unavailable (%s): using this replica's memory for %.0f s at a time",
                error,
                self.pause,
            )
        self._down_until = time.monotonic() + self.pause

    def succeeded(self) -> None:
        """Record a successful call, ending an outage."""
        if self._down_until is not None:
            log.info("Redis is back: shared state again")
            self._down_until = None

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self.client.aclose()
