"""The resource side: an ``Authorization`` header in, a ``Principal`` out, or ``AuthError``.

The header is read before any key is trusted: only RS256 (and, for the external issuer,
ES256) is accepted, so ``alg: none`` and HS256 signed with a public key as the secret never
reach a verifier; the key comes from the ``kid``, never from the token itself. The claims
are then checked (issuer, audience, times with a small leeway, ``typ: at+jwt``), and for
the hub's own tokens the client is looked up (cached briefly) so a revoked client's tokens
stop working.

Whatever text the header holds, the answer is a ``Principal`` or an ``AuthError`` whose
message is fixed ASCII written here: nothing from the token is ever echoed (a CR/LF or a
non-Latin-1 ``alg`` echoed into ``WWW-Authenticate`` once broke the response).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    MissingClaimError,
)
from joserfc.jwk import Key
from joserfc.jwt import JWTClaimsRegistry

from hub.auth.clients import ClientCache
from hub.auth.external import RemoteKeySet
from hub.auth.keys import ALGORITHM, KeyRing
from hub.auth.principal import AuthError, Principal
from hub.auth.scopes import SCOPES
from hub.auth.tokens import TOKEN_TYPE

LEEWAY = 30  # seconds of clock skew tolerated on exp, nbf and iat
MAX_TOKEN_LENGTH = 8192
SIGNED_CACHE_BYTES = 4 * 1024 * 1024
EXTERNAL_ALGORITHMS = frozenset({"RS256", "ES256"})
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
TOKEN_TYPES = frozenset({TOKEN_TYPE, f"application/{TOKEN_TYPE}"})
REQUIRED_CLAIMS = ("iss", "aud", "sub", "exp")
MAX_SUBJECT_LENGTH = 256  # longer subjects are not counted as a client of their own


@dataclass(frozen=True)
class _Signed:
    """A token whose signature verified: its claims, and its length for the cache."""

    claims: dict[str, Any]
    size: int


@dataclass(frozen=True)
class ExternalIssuer:
    """The one outside issuer whose tokens the hub also accepts."""

    issuer: str
    audience: str
    keys: RemoteKeySet


class TokenValidator:
    """Checks bearer tokens from the hub itself and, if configured, one external issuer."""

    def __init__(
        self,
        keys: KeyRing,
        issuer: str,
        audience: str,
        clients: ClientCache | None,
        *,
        external: ExternalIssuer | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.clients = clients
        self.external = external
        self.clock = clock
        # Signatures already checked, by token: a partner app sends the same token on every
        # request for its lifetime, and an RSA check is most of what validating one costs.
        # The claims (expiry) and the client (revocation) are still checked every time, and
        # the key is looked up by kid first, so a retired key's tokens stop at once.
        self._signed: LRUCache[str, _Signed] = LRUCache(
            maxsize=SIGNED_CACHE_BYTES, getsizeof=lambda signed: signed.size
        )

    async def authenticate(self, authorization: str | None) -> Principal:
        """The principal behind ``Authorization: Bearer <token>``; ``AuthError`` otherwise."""
        token = bearer_token(authorization)
        header = _unverified_header(token)
        alg, kid = header.get("alg"), header.get("kid")
        accepted = {ALGORITHM, *(EXTERNAL_ALGORITHMS if self.external else ())}
        if not isinstance(alg, str) or alg not in accepted:
            raise AuthError("unsupported_algorithm", "the token's algorithm is not accepted")
        if not isinstance(kid, str) or not kid:
            raise AuthError("malformed", "the token header has no kid")
        typ = header.get("typ")
        if not isinstance(typ, str) or typ.lower() not in TOKEN_TYPES:
            raise AuthError("wrong_type", "not an access token (typ must be at+jwt)")
        own_key = self.keys.find(kid)
        if own_key is not None:
            claims = self._verify(token, own_key, alg, {ALGORITHM}, self.issuer, self.audience)
            return await self._own_principal(claims)
        if self.external is not None and alg in EXTERNAL_ALGORITHMS:
            external_key = await self.external.keys.find(kid)
            if external_key is not None:
                claims = self._verify(
                    token,
                    external_key,
                    alg,
                    EXTERNAL_ALGORITHMS,
                    self.external.issuer,
                    self.external.audience,
                )
                return _external_principal(claims)
        raise AuthError("unknown_key", "the token was signed with a key this hub does not know")

    def _verify(
        self,
        token: str,
        key: Key,
        alg: str,
        allowed: set[str] | frozenset[str],
        issuer: str,
        audience: str,
    ) -> dict[str, Any]:
        if alg not in allowed or key.get("alg", alg) != alg:
            raise AuthError("unsupported_algorithm", "the token's algorithm is not accepted")
        signed = self._signed.get(token)
        if signed is None:
            try:
                decoded = jwt.decode(token, key, algorithms=[alg])
            except BadSignatureError:
                raise AuthError("bad_signature", "the token's signature does not verify") from None
            except Exception:  # untrusted bytes: any failure to decode them is a malformed token
                raise AuthError("malformed", "the token cannot be decoded") from None
            signed = _Signed(dict(decoded.claims), len(token) + 512)  # with its claims
            self._signed[token] = signed
        claims = dict(signed.claims)
        registry = JWTClaimsRegistry(
            now=lambda: int(self.clock()),
            leeway=LEEWAY,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            sub={"essential": True},
            exp={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise AuthError("expired", "the token has expired") from None
        except MissingClaimError as error:
            raise _missing_claim(error.claim) from None
        except ClaimError as error:
            raise _claim_error(error.claim) from None
        except Exception:  # claims of unexpected types or shapes
            raise AuthError("malformed", "the token's claims are malformed") from None
        return claims

    async def _own_principal(self, claims: dict[str, Any]) -> Principal:
        client_id = claims["sub"]
        scope = claims.get("scope", "")
        if not isinstance(client_id, str) or not isinstance(scope, str):
            raise AuthError("malformed", "the token's claims are malformed")
        record = await self.clients.get(client_id) if self.clients is not None else None
        if record is None or not record.active or record.organization != claims.get("org"):
            raise AuthError("revoked", "the token's client has been revoked")
        return Principal(
            client_id=client_id,
            organization=record.organization,
            scopes=frozenset(scope.split()) & record.scopes,
            issuer=self.issuer,
        )


def bearer_token(authorization: str | None) -> str:
    """The token of a ``Bearer`` header; ``AuthError`` when missing or not a compact JWS."""
    if authorization is None or not authorization.strip():
        raise AuthError("missing", "a Bearer access token is required")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("malformed", "use Authorization: Bearer <access token>")
    if len(token) > MAX_TOKEN_LENGTH or not COMPACT_JWS.fullmatch(token):
        raise AuthError("malformed", "the access token is not a signed JWT")
    return token


def unverified_subject(authorization: str | None) -> str | None:
    """The ``sub`` of a bearer token, read WITHOUT checking anything; None if unreadable.

    Only for counting failures per client before any signature work: never trust it.
    """
    try:
        token = bearer_token(authorization)
    except AuthError:
        return None
    parts = token.split(".")
    claims = _json_segment(parts[1]) if len(parts) == 3 else None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    if not isinstance(subject, str) or not 0 < len(subject) <= MAX_SUBJECT_LENGTH:
        return None
    return subject


def _json_segment(segment: str) -> Any:
    """A base64url JSON segment decoded; None when it is not one."""
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    # RecursionError: deeply nested JSON fits in a token of MAX_TOKEN_LENGTH
    except (binascii.Error, ValueError, RecursionError):
        return None


def _unverified_header(token: str) -> dict[str, Any]:
    header = _json_segment(token.split(".", 1)[0])
    if not isinstance(header, dict):
        raise AuthError("malformed", "the token header is not a JSON object")
    return header


def _missing_claim(claim: str) -> AuthError:
    # the claim's name as the hub spells it, never as the error (or the token) does
    name = next((known for known in REQUIRED_CLAIMS if known == claim), None)
    if name is None:
        return AuthError("missing_claim", "the token lacks a required claim")
    return AuthError("missing_claim", f"the token lacks {name}")


def _claim_error(claim: str) -> AuthError:
    if claim == "iss":
        return AuthError("wrong_issuer", "the token is from another issuer")
    if claim == "aud":
        return AuthError("wrong_audience", "the token is meant for another audience")
    if claim in ("nbf", "iat"):
        return AuthError("not_yet_valid", "the token is not valid yet")
    return AuthError("malformed", "the token's claims are not valid")


def _external_principal(claims: dict[str, Any]) -> Principal:
    client_id = claims.get("client_id", claims["sub"])
    scope = claims.get("scope", claims.get("scp", ""))
    names = scope.split() if isinstance(scope, str) else scope
    organization = claims.get("org")
    if (
        not isinstance(client_id, str)
        or not isinstance(names, list)
        or not all(isinstance(n, str) for n in names)
        or not (organization is None or isinstance(organization, str))
    ):
        raise AuthError("malformed", "the token's claims are malformed")
    return Principal(
        client_id=client_id,
        organization=organization,
        # scopes the hub does not define mean nothing here
        scopes=frozenset(names) & frozenset(SCOPES),
        issuer=str(claims["iss"]),
    )
