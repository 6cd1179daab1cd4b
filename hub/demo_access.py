"""A demo client and a long-lived token, so GraphiQL works in one step with auth on.

Only ``hub demo`` makes these: a real client (every scope, bound to one demo
cooperative) and a token from the hub's own key ring, valid for the demo's day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import anyio.to_thread

from federation.orders.database import connect
from hub.auth.clients import ClientStore
from hub.auth.keys import ensure_keys
from hub.auth.scopes import SCOPES
from hub.auth.tokens import TokenIssuer
from hub.database import upgrade
from hub.settings import Settings
from resolvers.ids import to_global_id

DEMO_ORGANIZATION = to_global_id("Cooperative", "sejuk", "1")
DEMO_TOKEN_SECONDS = 12 * 3600


@dataclass(frozen=True)
class DemoAccess:
    client_id: str
    secret: str
    organization: str
    token: str

    def graphiql_url(self, base_url: str) -> str:
        """GraphiQL with the token already in its headers editor."""
        headers = json.dumps({"Authorization": f"Bearer {self.token}"})
        return f"{base_url}/graphql?headers={quote(headers)}"


async def demo_access(settings: Settings) -> DemoAccess:
    """A fresh demo client with every scope, and a token for it."""
    await anyio.to_thread.run_sync(upgrade, settings.database_url)
    engine = connect(settings.database_url)
    try:
        new = await ClientStore(engine).create(DEMO_ORGANIZATION, SCOPES, "hub demo")
    finally:
        await engine.dispose()
    keys = await anyio.to_thread.run_sync(ensure_keys, Path(settings.auth_keys_dir))
    issuer = TokenIssuer(keys, settings.token_issuer, settings.auth_audience, DEMO_TOKEN_SECONDS)
    token = issuer.issue(new.record.client_id, DEMO_ORGANIZATION, " ".join(SCOPES))
    return DemoAccess(new.record.client_id, new.secret, DEMO_ORGANIZATION, token)
