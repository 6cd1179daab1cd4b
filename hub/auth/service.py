"""Everything the hub's auth needs at run time, built from the settings at start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.auth.clients import ClientCache, ClientStore
from hub.auth.external import RemoteKeySet
from hub.auth.keys import KeyRing, ensure_keys
from hub.auth.server import HubAuthorizationServer
from hub.auth.tokens import TokenIssuer
from hub.auth.validation import ExternalIssuer, TokenValidator
from hub.settings import Settings


@dataclass
class AuthService:
    """The key ring, the client store, the token endpoint's server and the validator."""

    settings: Settings
    keys: KeyRing
    store: ClientStore
    server: HubAuthorizationServer
    validator: TokenValidator
    http: httpx.AsyncClient | None = None

    @classmethod
    async def start(
        cls,
        settings: Settings,
        engine: AsyncEngine,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> AuthService:
        """Load (or make the first) signing key and wire the parts; ``transport`` for tests."""
        keys = await anyio.to_thread.run_sync(ensure_keys, Path(settings.auth_keys_dir))
        store = ClientStore(engine)
        issuer = TokenIssuer(
            keys, settings.token_issuer, settings.auth_audience, settings.auth_token_ttl
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
        return cls(settings, keys, store, HubAuthorizationServer(store, issuer), validator, http)

    async def aclose(self) -> None:
        """Close the external issuer's HTTP client, if any."""
        if self.http is not None:
            await self.http.aclose()
