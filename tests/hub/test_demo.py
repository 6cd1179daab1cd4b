"""What ``hub demo`` prints works: its queries against the live networks, and its
dashboard URL, signed in as a demo BUMN with spend to show."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from hub.app import create_app
from hub.demo import EXAMPLE_QUERIES
from hub.demo_access import DEMO_BUMN, demo_access
from hub.settings import load_settings
from resolvers.context import Context
from schema import build_schema
from tests.hub.conftest import private_database
from tests.support.live import federation_over, live_networks


@pytest.mark.parametrize(("title", "query"), EXAMPLE_QUERIES, ids=[t for t, _ in EXAMPLE_QUERIES])
async def test_example_query_answers_without_errors(tmp_path: Path, title: str, query: str) -> None:
    async with (
        live_networks(tmp_path, products=80) as networks,
        federation_over(networks) as federation,
    ):
        result = await build_schema().execute(query, context_value=Context(federation))
    assert result.errors is None, (title, result.errors)
    assert result.data
    first_field = next(iter(result.data.values()))
    assert first_field, title


async def test_demo_dashboard_url_signs_in_a_bumn_with_spend_to_show(
    transports: dict[str, httpx.AsyncBaseTransport],
) -> None:
    settings = replace(private_database(load_settings({})), auth_required=True)
    access = await demo_access(settings)
    url = access.dashboard_url("http://hub")
    assert url.startswith("http://hub/dashboard#token=")
    token = unquote(urlsplit(url).fragment.removeprefix("token="))
    assert token == access.bumn_token
    query = """query($f: SpendFilter!) { spend(filter: $f) { total { amount } groups { key } }
      rfqs(first: 5) { edges { node { id } } } }"""
    variables = {"f": {"period": {"from": "2025-01", "to": "2025-12"}, "groupBy": "MONTH"}}
    app = create_app(settings, transports=transports)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub") as hub,
    ):
        page = await hub.get("/dashboard")
        response = await hub.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert page.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    assert body["data"]["spend"]["total"]["amount"] > 0
    assert len(body["data"]["spend"]["groups"]) == 12
    assert access.organization != DEMO_BUMN
