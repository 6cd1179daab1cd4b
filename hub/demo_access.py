"""Demo clients and long-lived tokens, so GraphiQL and /dashboard work in one step.

Only ``hub demo`` makes these: real clients with every scope, one bound to a demo
cooperative (for GraphiQL) and one to a demo BUMN (for the procurement dashboard, which
shows PaDi's spend figures for it), each with a token from the hub's own key ring, valid
for the demo's day.
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
DEMO_BUMN = to_global_id("BUMN", "BUMN-PANGAN")
DEMO_TOKEN_SECONDS = 12 * 3600


@dataclass(frozen=True)
class DemoAccess:
    client_id: str
    secret: str
    organization: str
    token: str
    bumn_token: str  # for DEMO_BUMN: the dashboard's

    def graphiql_url(self, base_url: str) -> str:
        """GraphiQL with the token already in its headers editor."""
        headers = json.dumps({"Authorization": f"Bearer {self.token}"})
        return f"{base_url}/graphql?headers={quote(headers)}"

    def dashboard_url(self, base_url: str) -> str:
        """The procurement dashboard, signed in as the demo BUMN (the token rides in the
        fragment, which the browser never sends to a server)."""
        return f"{base_url}/dashboard#token={quote(self.bumn_token)}"


async def demo_access(settings: Settings) -> DemoAccess:
    """Fresh demo clients with every scope (a cooperative's and a BUMN's), and tokens."""
    await anyio.to_thread.run_sync(upgrade, settings.database_url)
    engine = connect(settings.database_url)
    try:
        store = ClientStore(engine)
        new = await store.create(DEMO_ORGANIZATION, SCOPES, "hub demo")
        bumn = await store.create(DEMO_BUMN, SCOPES, "hub demo dashboard")
    finally:
        await engine.dispose()
    keys = await anyio.to_thread.run_sync(ensure_keys, Path(settings.auth_keys_dir))
    issuer = TokenIssuer(keys, settings.token_issuer, settings.auth_audience, DEMO_TOKEN_SECONDS)
    scope = " ".join(SCOPES)
    token = issuer.issue(new.record.client_id, DEMO_ORGANIZATION, scope)
    bumn_token = issuer.issue(bumn.record.client_id, DEMO_BUMN, scope)
    return DemoAccess(new.record.client_id, new.secret, DEMO_ORGANIZATION, token, bumn_token)
