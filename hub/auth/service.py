"""Everything the hub's auth needs at run time, built from the settings at start.

``AuthService.authenticate`` is what the request pipeline calls for a bearer token: it
refuses throttled callers before any signature work, validates the token, counts the
failure if it is refused, and logs one line either way. Its refusals are
``hub.refusal.Refusal``s whose messages are the hub's own ASCII text, never the token's.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.auth.clients import ClientCache, ClientStore
from hub.auth.external import RemoteKeySet
from hub.auth.hashing import SecretVerifier
from hub.auth.keys import KeyRing, ensure_keys
from hub.auth.principal import AuthError, Principal
from hub.auth.server import HubAuthorizationServer
from hub.auth.throttle import FailureThrottle, loggable
from hub.auth.tokens import TokenIssuer
from hub.auth.validation import ExternalIssuer, TokenValidator, unverified_subject
from hub.refusal import UNAUTHENTICATED, Refusal
from hub.settings import Settings
from hub.shared import SharedRedis

logger = logging.getLogger("hub.auth")

# What may reach a client (and a WWW-Authenticate header): printable ASCII, no quotes.
_SAFE_TEXT = re.compile(r"[ !#-~]{1,200}")


@dataclass
class AuthService:
    """The key ring, the client store, the token endpoint's server and the validator."""

    settings: Settings
    keys: KeyRing
    store: ClientStore
    server: HubAuthorizationServer
    validator: TokenValidator
    throttle: FailureThrottle
    http: httpx.AsyncClient | None = None
    owned_redis: SharedRedis | None = None  # made here from the settings: closed here

    @classmethod
    async def start(
        cls,
        settings: Settings,
        engine: AsyncEngine,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        redis: SharedRedis | None = None,
    ) -> AuthService:
        """Load (or make the first) signing key and wire the parts; ``transport`` for tests.

        Failure buckets are shared through ``redis`` when given, else through a Redis
        client of the service's own when ``settings.redis_url`` is set.
        """
        keys = await anyio.to_thread.run_sync(ensure_keys, Path(settings.auth_keys_dir))
        store = ClientStore(engine)
        issuer = TokenIssuer(
            keys, settings.token_issuer, settings.auth_audience, settings.auth_token_ttl
        )
        owned_redis = None
        if redis is None and settings.redis_url is not None:
            redis = owned_redis = SharedRedis(settings.redis_url, settings.redis_prefix)
        throttle = FailureThrottle(
            settings.auth_failure_rate, settings.auth_failure_burst, redis=redis
        )
        server = HubAuthorizationServer(
            store,
            issuer,
            throttle=throttle,
            verifier=SecretVerifier(settings.auth_hash_concurrency),
        )
        http = None
        external = None
        if settings.auth_external_issuer and settings.auth_external_jwks_url:
            http = httpx.AsyncClient(transport=transport)
            external = ExternalIssuer(
                settings.auth_external_issuer,
                settings.auth_external_audience or settings.auth_audience,
                RemoteKeySet(settings.auth_external_jwks_url, http),
            )
        validator = TokenValidator(
            keys,
            settings.token_issuer,
            settings.auth_audience,
            ClientCache(store, settings.auth_client_cache),
            external=external,
        )
        return cls(settings, keys, store, server, validator, throttle, http, owned_redis)

    async def authenticate(self, authorization: str, remote: str) -> Principal:
        """The principal behind ``Authorization: Bearer <token>`` sent from ``remote``.

        A refused token counts as a failure of ``remote`` and of the token's (unverified)
        client: ``Refusal("UNAUTHENTICATED", ...)``, or ``Refusal("RATE_LIMITED", ...,
        retry_after=...)`` once either has failed too often. A valid token is served even
        then: checking one costs a signature, not a secret's hash, and refusing it would
        let a stranger behind the same address, or naming the same client, lock a real
        client out. Any ``authorization`` text is answered one of these ways.
        """
        try:
            return await self.validator.authenticate(authorization)
        except AuthError as error:
            client_id = unverified_subject(authorization)
            try:
                await self.throttle.admit(remote, client_id)
            except Refusal as refusal:
                logger.warning(
                    "access token from %s throttled: %s", loggable(remote), refusal.message
                )
                raise
            await self.throttle.failed(remote, client_id)
            logger.info("access token from %s refused: %s", loggable(remote), error.reason)
            raise Refusal(UNAUTHENTICATED, refusal_message(error)) from None

    async def aclose(self) -> None:
        """Close the external issuer's HTTP client and the service's own Redis, if any."""
        if self.http is not None:
            await self.http.aclose()
        if self.owned_redis is not None:
            await self.owned_redis.aclose()


def refusal_message(error: AuthError) -> str:
    """What a client is told about ``error``: the hub's text, checked to be header-safe.

    The messages are fixed text already; the check keeps a future one that slips in
    token text from reaching a response header (where CR/LF drops the connection).
    """
    detail = error.message if _SAFE_TEXT.fullmatch(error.message) else ""
    return f"Invalid access token: {detail}." if detail else "Invalid access token."
