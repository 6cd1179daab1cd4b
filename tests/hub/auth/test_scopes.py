"""Scopes end to end: a real token over HTTP against the public graph."""

from __future__ import annotations

import httpx

from hub.app import create_app
from hub.auth.service import AuthService
from hub.settings import load_settings
from tests.hub.auth.conftest import COOPERATIVE
from tests.hub.conftest import private_database

ORDERS = {"query": "{ orders(first: 5) { edges { node { id } } } }"}
PLACE = {
    "query": "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }",
    "variables": {
        "input": {
            "buyerId": COOPERATIVE,
            "lines": [{"productId": "UHJvZHVjdDpzZWp1azpQLTE", "quantity": 1}],
            "deliveryRegionCode": "32.73",
            "idempotencyKey": "e2e-never-placed",
        }
    },
}


async def test_a_real_token_is_held_to_its_scopes_and_its_organisation() -> None:
    settings = private_database(load_settings({"HUB_RATE_LIMIT": "0"}))
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://hub") as client,
    ):
        auth: AuthService = app.state.auth
        new = await auth.store.create(COOPERATIVE, "orders:read", "test")
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(new.record.client_id, new.secret),
        )
        headers = {"authorization": f"Bearer {response.json()['access_token']}"}

        listed = (await client.post("/graphql", json=ORDERS, headers=headers)).json()
        assert listed == {"data": {"orders": {"edges": []}}}
        refused = (await client.post("/graphql", json=PLACE, headers=headers)).json()
        assert refused["data"] is None
        assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
        assert "orders:write" in refused["errors"][0]["message"]
