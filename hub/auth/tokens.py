"""Minting the hub's access tokens: RS256 JWTs in the RFC 9068 profile (``typ: at+jwt``)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from joserfc import jwt

from hub.auth.keys import ALGORITHM, KeyRing

TOKEN_TYPE = "at+jwt"


class TokenIssuer:
    """Signs access tokens with the key ring's newest key."""

    def __init__(
        self,
        keys: KeyRing,
        issuer: str,
        audience: str,
        ttl_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    def issue(self, client_id: str, organization: str, scope: str) -> str:
        """A token for ``client_id`` of ``organization`` granting ``scope``."""
        now = int(self.clock())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": client_id,
            "client_id": client_id,
            "org": organization,
            "scope": scope,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl_seconds,
            "jti": secrets.token_urlsafe(16),
        }
        key = self.keys.signing_key
        header = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": key.kid}
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])
