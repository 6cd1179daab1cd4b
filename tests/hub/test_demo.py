"""What ``hub demo`` prints works: its queries against the live networks, its dashboard
URL, signed in as a demo BUMN with spend to show in the last twelve months, and its order
clock, which moves an order placed through the hub along without anyone's help."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from hub.app import create_app
from hub.demo import EXAMPLE_QUERIES, DemoOptions
from hub.demo_access import DEMO_BUMN, demo_access
from hub.settings import load_settings
from networks.common.clock import months_up_to, seed_date
from networks.launcher import Launcher
from resolvers.context import Context
from schema import build_schema
from tests.hub.conftest import private_database
from tests.hub.test_subscriptions import next_payload, subscription
from tests.support.live import federation_over, live_networks
from tests.support.serving import served


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
    # The networks were seeded today: their history runs up to this month.
    months = months_up_to(seed_date(), 12)
    variables = {"f": {"period": {"from": months[0], "to": months[-1]}, "groupBy": "MONTH"}}
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
    groups = body["data"]["spend"]["groups"]
    assert [g["key"] for g in groups] == list(months)
    assert access.organization != DEMO_BUMN


def test_order_clock_reaches_the_networks_command_lines() -> None:
    options = DemoOptions(order_clock=2.5, network_ports={"sejuk": 0})
    assert options.launch_options().order_clock == 2.5
    assert DemoOptions().launch_options().order_clock is None


PLACE = """mutation P($i: PlaceOrderInput!) { placeOrder(input: $i) { id status } }"""
FIND = """{ search(first: 30, filter: {networks: ["sejuk"], inStock: true})
  { edges { node { id minOrder stock } } } }"""


async def test_demo_order_clock_moves_an_order_along_in_order_updates(tmp_path: Path) -> None:
    """As ``hub demo --order-clock 0.5``: the networks as child processes with their clock,
    the demo's hub and token; an order placed through the hub reaches DELIVERED on its own."""
    options = DemoOptions(
        data_dir=tmp_path / "networks",
        products=60,
        order_clock=0.5,
        network_ports={"sejuk": 0, "tangerang": 0, "padi": 0},
    )
    launcher = Launcher(options.launch_options())
    running = await asyncio.to_thread(launcher.start)
    try:
        settings = replace(
            private_database(load_settings({})).with_network_urls(
                {net.code: net.url for net in running}
            ),
            environment="development",
            auth_required=False,
        )
        access = await demo_access(settings)
        async with served(create_app(settings)) as url, httpx.AsyncClient(timeout=30) as http:
            auth = {"Authorization": f"Bearer {access.token}"}

            async def run(query: str, variables: dict[str, Any] | None = None) -> Any:
                response = await http.post(
                    f"{url}/graphql", json={"query": query, "variables": variables}, headers=auth
                )
                body = response.json()
                assert "errors" not in body, body
                return body["data"]

            found = await run(FIND)
            product = next(
                e["node"]
                for e in found["search"]["edges"]
                if e["node"]["stock"] >= e["node"]["minOrder"] + 5
            )
            line = {"productId": product["id"], "quantity": product["minOrder"]}
            order_input = {
                "buyerId": access.organization,
                "lines": [line],
                "deliveryRegionCode": "32.73",
                "idempotencyKey": str(uuid.uuid4()),
            }
            order = (await run(PLACE, {"i": order_input}))["placeOrder"]
            query = "subscription U($id: ID!) { orderUpdates(orderId: $id) { status } }"
            async with subscription(url, access.token, query, {"id": order["id"]}) as ws:
                seen = [(await next_payload(ws))["orderUpdates"]["status"]]
                while seen[-1] != "DELIVERED" and len(seen) < 10:
                    seen.append((await next_payload(ws))["orderUpdates"]["status"])
    finally:
        await asyncio.to_thread(launcher.stop)
    assert seen[-1] == "DELIVERED", seen
    assert len(set(seen)) >= 2, seen  # it changed while we watched
