"""Failed authentication throttled per remote address and per client id.

Every refused bearer token and every wrong client secret (or unknown client) takes one
token from two buckets: the remote address's and the client id's (for a bearer token,
its unverified ``sub``). Each holds ``burst`` failures and is forgiven ``rate`` a second.
Before any signature or hashing work, both buckets are peeked: with either empty, the
caller is refused ``RATE_LIMITED`` with the seconds until one more failure is allowed.
Successes cost nothing, so a client that authenticates properly is never slowed by
its own successes.

The buckets are ``hub.ratelimit``'s: bounded in memory, and shared by every replica
through Redis when it is configured (falling back to this replica's memory while Redis
is down). IPv6 addresses count by their /64, the block one host usually controls, so
that walking through a block does not give a fresh bucket per address.
"""

from __future__ import annotations

import ipaddress
import math
import re

from hub.ratelimit import RateLimiter
from hub.refusal import RATE_LIMITED, Refusal
from hub.shared import SharedRedis

# How many buckets this replica keeps in memory at most (least recently used go first).
MAX_ENTRIES = 100_000
MAX_KEY_TEXT = 256  # longer remote texts and client ids are cut: the key stays bounded
_PLAIN = re.compile(r"[0-9A-Za-z.:%_-]{1,64}")


def remote_key(remote: str) -> str:
    """The bucket name for a remote address: the address, or its /64 for IPv6."""
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:  # not an IP (a test client, a Unix socket): counted as given
        return f"remote:{remote[:MAX_KEY_TEXT]}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"remote:{address.ipv4_mapped}"
        return f"remote:{ipaddress.IPv6Network((address, 64), strict=False)}"
    return f"remote:{address}"


def loggable(remote: str) -> str:
    """``remote`` fit for a log line: as is when plain, else escaped and cut short."""
    return remote if _PLAIN.fullmatch(remote) else ascii(remote[:64])


class FailureThrottle:
    """Counts authentication failures and refuses callers who have had too many."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        redis: SharedRedis | None = None,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.buckets = RateLimiter(rate, burst, redis=redis, max_clients=max_entries)

    @staticmethod
    def keys(remote: str, client_id: str | None) -> list[str]:
        """The buckets an attempt from ``remote`` as ``client_id`` counts against."""
        keys = [f"auth-failures:{remote_key(remote)}"]
        if client_id:
            keys.append(f"auth-failures:client:{client_id[:MAX_KEY_TEXT]}")
        return keys

    async def admit(self, remote: str, client_id: str | None) -> None:
        """Return when an attempt may be checked; raise ``Refusal(RATE_LIMITED)`` if not."""
        wait = await self.buckets.peek(self.keys(remote, client_id))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise Refusal(
                RATE_LIMITED,
                f"Too many failed authentication attempts: retry in {seconds} s.",
                retry_after=seconds,
            )

    async def failed(self, remote: str, client_id: str | None) -> None:
        """Count one failed attempt from ``remote`` as ``client_id``."""
        for key in self.keys(remote, client_id):
            await self.buckets.take(key, 1)
