"""Per-client rate limits: a token bucket per client, in memory or shared through Redis.

Each client has a bucket of ``burst`` tokens that refills at ``rate`` tokens a second; an
operation takes one token (a batch takes one per operation). With no token left, the
request is answered 429 with ``Retry-After`` and ``RATE_LIMITED``, before the body's
operations are parsed or run.

With Redis configured, one atomic Lua script updates the bucket on the Redis server's
clock, so every replica draws from the same bucket. When Redis fails, the limiter fails
*open to this replica's own bucket*: requests are still limited, per replica, and a
warning is logged (``hub.shared``). Availability wins over exact shared counting.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from redis.commands.core import AsyncScript
from starlette.requests import Request

from hub.requests import HttpError
from hub.shared import FAILURES, SharedRedis

RATE_LIMITED = "RATE_LIMITED"


def client_key(request: Request) -> str:
    """Who a request counts against: the token's client, else the remote address.

    The one place that names the client. ``hub.http`` authenticates before it rate-limits
    and leaves the ``Principal`` on ``request.state``. Behind a proxy, run uvicorn with
    ``--forwarded-allow-ips`` so the address is the client's, not the proxy's.
    """
    principal = getattr(request.state, "principal", None)
    if principal is not None:
        return f"client:{principal.client_id}"
    return request.client.host if request.client else "unknown"


class LocalBuckets:
    """Token buckets in this process's memory, at most ``max_clients`` (least recent go)."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, cost: int) -> float:
        """Take ``cost`` tokens; 0 when taken, else the seconds until they would be there."""
        now = self.clock()
        tokens, stamp = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(0.0, now - stamp) * self.rate)
        wait = 0.0
        if tokens >= cost:
            tokens -= cost
        else:
            wait = (cost - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self.max_clients:
            del self._buckets[next(iter(self._buckets))]
        return wait

    def peek(self, key: str, cost: int = 1) -> float:
        """Like ``take`` but takes nothing: 0 when ``cost`` tokens are there, else the wait."""
        now = self.clock()
        tokens, stamp = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(0.0, now - stamp) * self.rate)
        return 0.0 if tokens >= cost else (cost - tokens) / self.rate


# KEYS[1] bucket; ARGV rate, burst, cost. Returns {taken (0/1), seconds to wait (string)}.
TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]) or burst
local stamp = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local wait = 0
local taken = 0
if tokens >= cost then
  tokens = tokens - cost
  taken = 1
else
  wait = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {taken, tostring(wait)}
"""

# KEYS the buckets; ARGV rate, burst, cost. Writes nothing. Returns the longest wait
# (string) before ``cost`` tokens are in every bucket; "0" when they all are.
PEEK = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local longest = 0
for _, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'tokens', 'stamp')
  local tokens = tonumber(state[1]) or burst
  local stamp = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
  if tokens < cost then
    longest = math.max(longest, (cost - tokens) / rate)
  end
end
return tostring(longest)
"""


class RateLimiter:
    """Admits or refuses requests by client; shared through ``redis`` when given."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        redis: SharedRedis | None = None,
        key: Callable[[Request], str] = client_key,
        max_clients: int = 100_000,
    ) -> None:
        self.local = LocalBuckets(rate, burst, max_clients=max_clients)
        self.redis = redis
        self.key = key
        self._script: AsyncScript | None = (
            redis.client.register_script(TAKE) if redis is not None else None
        )
        self._peek: AsyncScript | None = (
            redis.client.register_script(PEEK) if redis is not None else None
        )

    async def admit(self, request: Request, cost: int = 1) -> None:
        """Take ``cost`` tokens for the request's client, or raise a 429 ``HttpError``."""
        wait = await self.take(self.key(request), cost)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise HttpError(
                429,
                f"Rate limit exceeded: retry in {seconds} s.",
                {"Retry-After": str(seconds)},
                code=RATE_LIMITED,
            )

    async def take(self, client: str, cost: int) -> float:
        """Seconds to wait before ``cost`` tokens are there; 0 when they were taken."""
        redis, script = self.redis, self._script
        if redis is not None and script is not None and redis.available:
            try:
                taken, wait = await script(
                    keys=[redis.key("ratelimit", client)],
                    args=[self.local.rate, self.local.burst, cost],
                )
            except FAILURES as error:
                redis.failed(error)
            else:
                redis.succeeded()
                return 0.0 if int(taken) else float(wait)
        return self.local.take(client, cost)

    async def peek(self, clients: Sequence[str], cost: int = 1) -> float:
        """Seconds until every one of ``clients`` has ``cost`` tokens (0: now); takes none.

        One round trip to Redis for all of them (a multi-key script: the keys must live
        on one Redis node, as they do without Redis Cluster).
        """
        if not clients:
            return 0.0
        redis, script = self.redis, self._peek
        if redis is not None and script is not None and redis.available:
            try:
                wait = await script(
                    keys=[redis.key("ratelimit", client) for client in clients],
                    args=[self.local.rate, self.local.burst, cost],
                )
            except FAILURES as error:
                redis.failed(error)
            else:
                redis.succeeded()
                return float(wait)
        return max(self.local.peek(client, cost) for client in clients)
