"""Per-client token buckets: PaDi answers 429 with Retry-After when one runs dry."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from networks.common.errors import ApiError


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows ``rate`` requests per second per client, with bursts up to ``burst``."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, client_id: str) -> None:
        """Spend one token of ``client_id``'s bucket, or raise a 429."""
        now = self._clock()
        bucket = self._buckets.setdefault(client_id, _Bucket(float(self.burst), now))
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return
        wait = max(1, math.ceil((1 - bucket.tokens) / self.rate)) if self.rate > 0 else 60
        raise ApiError(
            429,
            "rate_limited",
            f"too many requests for client {client_id}; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
