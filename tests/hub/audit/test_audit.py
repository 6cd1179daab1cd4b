"""Every mutation leaves an audit entry; queries do not; secrets never reach the log."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from hub.app import create_app
from hub.audit.log import REMOVED, AuditLog, without_secrets
from hub.settings import load_settings
from tests.hub.conftest import private_database

PLACE = """mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }"""


def test_secrets_are_removed_at_any_depth() -> None:
    variables = {
        "input": {"clientSecret": "s3cr3t", "lines": [{"apiKey": "k", "quantity": 2}]},
        "token": "t",
        "note": "plain",
    }
    assert without_secrets(variables) == {
        "input": {"clientSecret": REMOVED, "lines": [{"apiKey": REMOVED, "quantity": 2}]},
        "token": REMOVED,
        "note": "plain",
    }


async def test_mutations_are_audited_with_their_outcome_and_queries_are_not(
    transports: dict[str, httpx.AsyncBaseTransport], networks: dict[str, Starlette]
) -> None:
    settings = private_database(load_settings({"HUB_RATE_LIMIT": "0"}))
    app = create_app(settings, transports=transports)
    variables = {
        "input": {
            "buyerId": "Q29vcGVyYXRpdmU6c2VqdWs6OTk5OTk5",
            "lines": [{"productId": "UHJvZHVjdDpzZWp1azox", "quantity": 0}],
            "deliveryRegionCode": "32.73",
            "idempotencyKey": "audit-1",
        }
    }
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub") as client,
    ):
        await client.post("/graphql", json={"query": "{ networks { code } }"})
        await client.post(
            "/graphql", json={"query": PLACE, "variables": variables, "operationName": "Place"}
        )
        audit: AuditLog = app.state.audit
        entries = await audit.latest()
    assert len(entries) == 1
    entry = entries[0]
    assert entry.operation == "Place"
    assert entry.outcome == "BAD_USER_INPUT"
    assert entry.client_id is None
    assert entry.variables == variables
    assert "above zero" in (entry.message or "")
