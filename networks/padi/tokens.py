"""Short-lived RS256 JWT access tokens: issued, published as JWKS, and verified."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from joserfc.jwt import JWTClaimsRegistry

from networks.common.errors import ApiError

ALGORITHM = "RS256"
TOKEN_TYPE = "at+jwt"


@dataclass(frozen=True)
class Caller:
    """Who a verified access token speaks for."""

    client_id: str
    scope: str


class TokenService:
    """Signs access tokens with a key made when the app is created, and checks them."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        ttl_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.clock = clock
        self.issuer = issuer
        self.audience = audience
        self.ttl_seconds = ttl_seconds
        self.key = RSAKey.generate_key(
            2048,
            parameters={"kid": f"padi-{secrets.token_hex(8)}", "use": "sig", "alg": ALGORITHM},
        )
        self._claims = JWTClaimsRegistry(
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
            now=lambda: int(self.clock()),
        )

    def issue(self, client_id: str, scope: str) -> str:
        """A signed access token for ``client_id``, valid for ``ttl_seconds``."""
        now = int(self.clock())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": client_id,
            "scope": scope,
            "iat": now,
            "exp": now + self.ttl_seconds,
            "jti": secrets.token_urlsafe(16),
        }
        header = {"alg": ALGORITHM, "kid": self.key.kid, "typ": TOKEN_TYPE}
        return jwt.encode(header, claims, self.key, algorithms=[ALGORITHM])

    def jwks(self) -> dict[str, Any]:
        """The public signing keys, as served at ``/.well-known/jwks.json``."""
        return dict(KeySet([self.key]).as_dict(private=False))

    def verify(self, authorization: str | None) -> Caller:
        """The caller behind an ``Authorization: Bearer`` header, or a 401."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise invalid_token("a Bearer access token is required")
        try:
            decoded = jwt.decode(token.strip(), self.key, algorithms=[ALGORITHM])
            self._claims.validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise invalid_token(_reason(error)) from None
        if decoded.header.get("typ") != TOKEN_TYPE or decoded.header.get("kid") != self.key.kid:
            raise invalid_token("not a PaDi access token")
        return Caller(
            client_id=str(decoded.claims["sub"]), scope=str(decoded.claims.get("scope", ""))
        )


def _reason(error: Exception) -> str:
    if "expired" in type(error).__name__.lower():
        return "the access token has expired"
    return "the access token is not valid"


def invalid_token(message: str) -> ApiError:
    """A 401 that tells an OAuth client to fetch a new token."""
    challenge = f'Bearer error="invalid_token", error_description="{message}"'
    return ApiError(401, "invalid_token", message, headers={"WWW-Authenticate": challenge})
