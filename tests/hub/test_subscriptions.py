"""Subscriptions over a real WebSocket (graphql-transport-ws) to a hub on a free port."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import websockets
from starlette.applications import Starlette

from hub.app import create_app
from hub.settings import load_settings
from tests.support.live import LiveNetworks, live_networks
from tests.support.serving import served

# The organisation of the partner app that only browses the catalogue to find a buyer.
READER = base64.urlsafe_b64encode(b"Cooperative:sejuk:K-001").decode().rstrip("=")
PARTNER_SCOPES = "catalog:read,orders:read,orders:write"


@dataclass
class LiveHub:
    """A hub serving on a free port, and its app (to register OAuth clients as ``hub
    clients create`` does)."""

    url: str
    app: Starlette

    async def token(self, organization: str, scopes: str = PARTNER_SCOPES) -> str:
        """A bearer token of a new client of ``organization``, as a partner app gets one."""
        client = await self.app.state.auth.store.create(organization, scopes, name="partner")
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                f"{self.url}/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(client.record.client_id, client.secret),
            )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token


@asynccontextmanager
async def hub_on_free_port(networks: LiveNetworks, data: Path) -> AsyncIterator[LiveHub]:
    settings = load_settings(
        {
            "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{data}/hub.sqlite3",
            "HUB_AUTH_KEYS_DIR": str(data / "keys"),
        }
    ).with_network_urls(networks.urls)
    app = create_app(settings)
    async with served(app) as url:
        yield LiveHub(url, app)


async def graphql(url: str, token: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{url}/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


@asynccontextmanager
async def subscription(
    url: str, token: str, query: str, variables: dict[str, Any]
) -> AsyncIterator[websockets.ClientConnection]:
    ws_url = url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables},
                }
            )
        )
        yield ws


async def next_payload(ws: websockets.ClientConnection) -> dict[str, Any]:
    """The next data message, skipping pings (bounded by a generous timeout)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 20))
        if message["type"] == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        assert message["type"] == "next", message
        return dict(message["payload"]["data"])


async def test_order_updates_follow_the_network_moving_the_order_along(tmp_path: Path) -> None:
    async with (
        live_networks(tmp_path / "networks", products=80) as networks,
        hub_on_free_port(networks, tmp_path) as hub,
    ):
        url = hub.url
        data = await graphql(
            url,
            await hub.token(READER, "catalog:read"),
            '{ cooperatives(first: 1, filter: {networks: ["sejuk"]}) { edges { node { id } } }'
            '  search(first: 30, filter: {networks: ["sejuk"], inStock: true}) '
            "  { edges { node { id minOrder stock } } } }",
        )
        buyer = data["cooperatives"]["edges"][0]["node"]["id"]
        product = next(
            e["node"]
            for e in data["search"]["edges"]
            if e["node"]["stock"] >= e["node"]["minOrder"] + 5
        )
        token = await hub.token(buyer)
        placed = await graphql(
            url,
            token,
            "mutation P($i: PlaceOrderInput!) { placeOrder(input: $i) "
            "{ id status subOrders { nativeId } } }",
            {
                "i": {
                    "buyerId": buyer,
                    "lines": [{"productId": product["id"], "quantity": product["minOrder"]}],
                    "deliveryRegionCode": "32.73",
                    "idempotencyKey": str(uuid.uuid4()),
                }
            },
        )
        order = placed["placeOrder"]
        assert order["status"] == "CONFIRMED"
        native = order["subOrders"][0]["nativeId"]

        query = "subscription U($id: ID!) { orderUpdates(orderId: $id) { status } }"
        async with subscription(url, token, query, {"id": order["id"]}) as ws:
            seen = [(await next_payload(ws))["orderUpdates"]["status"]]
            for _ in range(3):
                await networks.admin("sejuk", "POST", f"/admin/pesanan/{native}/maju")
            while seen[-1] != "DELIVERED" and len(seen) < 10:
                seen.append((await next_payload(ws))["orderUpdates"]["status"])
    assert seen[0] == "CONFIRMED"
    assert seen[-1] == "DELIVERED"


async def test_transactions_merge_the_networks_stream_and_the_hubs_orders(
    tmp_path: Path,
) -> None:
    async with (
        live_networks(tmp_path / "networks", products=80) as networks,
        hub_on_free_port(networks, tmp_path) as hub,
    ):
        url = hub.url
        data = await graphql(
            url,
            await hub.token(READER, "catalog:read"),
            '{ cooperatives(first: 1, filter: {networks: ["tangerang"]}) '
            "{ edges { node { id nativeId } } } }",
        )
        cooperative = data["cooperatives"]["edges"][0]["node"]
        token = await hub.token(cooperative["id"])
        broadcaster = networks.apps["tangerang"].state.tangerang.broadcaster
        query = (
            "subscription T($id: ID!) { transactions(cooperativeId: $id) "
            "{ source kind amount { amount } description } }"
        )
        async with subscription(url, token, query, {"id": cooperative["id"]}) as ws:
            async with asyncio.timeout(10):
                while broadcaster.subscriber_count == 0:
                    await asyncio.sleep(0.02)
            await networks.admin(
                "tangerang",
                "POST",
                "/admin/transactions",
                {
                    "cooperative_id": cooperative["nativeId"],
                    "type": "simpanan_sukarela",
                    "amount": "150000.00",
                    "description": "Setoran anggota",
                },
            )
            from_network = (await next_payload(ws))["transactions"]
            found = await graphql(
                url,
                token,
                '{ search(first: 20, filter: {networks: ["sejuk"], inStock: true}) '
                "{ edges { node { id minOrder stock } } } }",
            )
            product = next(
                e["node"]
                for e in found["search"]["edges"]
                if e["node"]["stock"] >= e["node"]["minOrder"] + 5
            )
            await graphql(
                url,
                token,
                "mutation P($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }",
                {
                    "i": {
                        "buyerId": cooperative["id"],
                        "lines": [{"productId": product["id"], "quantity": product["minOrder"]}],
                        "deliveryRegionCode": "36.71",
                        "idempotencyKey": str(uuid.uuid4()),
                    }
                },
            )
            from_hub = [(await next_payload(ws))["transactions"] for _ in range(2)]
    assert {t["source"] for t in from_hub} == {"hub"}
    assert from_hub[0]["kind"] == "order_created"
    assert from_network == {
        "source": "tangerang",
        "kind": "simpanan_sukarela",
        "amount": {"amount": 150000},
        "description": "Setoran anggota",
    }
