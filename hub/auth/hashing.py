"""Client secrets at rest: scrypt with a salt per secret, compared in constant time.

A check costs tens of milliseconds of CPU, so ``SecretVerifier`` runs checks in worker
threads, at most ``concurrency`` at once: a flood of wrong secrets queues behind the
cap instead of taking every thread (and the event loop) from other requests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

import anyio
import anyio.to_thread

# scrypt cost: 16 MiB and some tens of ms a check; the parameters are kept in each hash.
N, R, P = 2**14, 8, 1
SCHEME = "scrypt"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_secret(secret: str) -> str:
    """``scrypt$n$r$p$salt$hash`` for ``secret``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches ``stored`` (a ``hash_secret`` result); False if malformed."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(
            secret.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


class SecretVerifier:
    """``verify_secret`` off the event loop, at most ``concurrency`` checks at a time."""

    def __init__(self, concurrency: int) -> None:
        self.limiter = anyio.CapacityLimiter(concurrency)

    async def verify(
        self,
        secret: str,
        stored: str,
        *,
        admit: Callable[[], Awaitable[None]] | None = None,
        failed: Callable[[], Awaitable[None]] | None = None,
    ) -> bool:
        """Whether ``secret`` matches ``stored``.

        ``admit`` runs once a slot is free, just before hashing, and may raise to give
        up; ``failed`` runs when the secret is wrong, still holding the slot. So a check
        that waited in the queue sees every failure of the checks that went before it
        (a throttle that ran out meanwhile refuses it before it hashes anything).
        """
        async with self.limiter:
            if admit is not None:
                await admit()
            matches = await anyio.to_thread.run_sync(verify_secret, secret, stored)
            if not matches and failed is not None:
                await failed()
            return matches
