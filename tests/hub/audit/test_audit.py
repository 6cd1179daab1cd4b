"""Every mutation leaves an audit entry; queries do not; secrets never reach the log."""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
import httpx
import pytest
from starlette.applications import Starlette

from federation.orders.database import connect
from hub.app import create_app
from hub.audit.log import REMOVED, AuditEntry, AuditLog, without_secrets
from hub.cli import main
from hub.database import upgrade
from hub.settings import load_settings
from tests.hub.conftest import private_database

BUYER = "Q29vcGVyYXRpdmU6c2VqdWs6OTk5OTk5"  # Cooperative:sejuk:999999
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
            "buyerId": BUYER,
            "lines": [{"productId": "UHJvZHVjdDpzZWp1azox", "quantity": 0}],
            "deliveryRegionCode": "32.73",
            "idempotencyKey": "audit-1",
        }
    }
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub") as client,
    ):
        # as a partner app of the buyer: its own OAuth client, a bearer token on each request
        partner = await app.state.auth.store.create(
            BUYER, "catalog:read,orders:read,orders:write", name="audit"
        )
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(partner.record.client_id, partner.secret),
        )
        assert response.status_code == 200, response.text
        bearer = {"authorization": f"Bearer {response.json()['access_token']}"}
        query = await client.post(
            "/graphql", json={"query": "{ networks { code } }"}, headers=bearer
        )
        assert "errors" not in query.json(), query.text
        await client.post(
            "/graphql",
            json={"query": PLACE, "variables": variables, "operationName": "Place"},
            headers=bearer,
        )
        audit: AuditLog = app.state.audit
        entries = await audit.latest()
    assert len(entries) == 1
    entry = entries[0]
    assert entry.operation == "Place"
    assert entry.outcome == "BAD_USER_INPUT"
    assert entry.client_id == partner.record.client_id
    assert entry.organization == BUYER
    assert entry.variables == variables
    assert "above zero" in (entry.message or "")


async def test_hub_audit_prints_the_newest_entries_of_one_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    try:
        log = AuditLog(engine)
        for n, client in enumerate(("hub_a", "hub_b", "hub_a")):
            entry = AuditEntry(client, "org", f"Op{n}", {"apiKey": "k", "n": n}, "OK")
            await log.record(entry)
    finally:
        await engine.dispose()
    monkeypatch.setenv("HUB_DATABASE_URL", url)

    code = await anyio.to_thread.run_sync(main, ["audit", "--client", "hub_a", "--limit", "5"])

    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [line.split()[3] for line in lines] == ["Op2", "Op0"]
    assert all("client=hub_a" in line and '"apiKey": "[removed]"' in line for line in lines)
