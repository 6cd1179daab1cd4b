"""The live transaction stream, over real HTTP: events, filtering, resume, keep-alive."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from networks.tangerang.app import create_app
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth
from networks.testing import on_free_port

ADMIN = {"Authorization": "Bearer admin-dev-token"}
STREAM = "/v2/transactions/stream"


@asynccontextmanager
async def served(settings: TangerangSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        on_free_port(create_app(settings)) as url,
        httpx.AsyncClient(
            base_url=url, auth=HmacAuth("koperasi-hub", "tangerang-dev-secret"), timeout=10
        ) as client,
    ):
        yield client


class EventReader:
    """Server-sent events from a streaming response, comments kept apart."""

    def __init__(self, response: httpx.Response) -> None:
        self._lines = response.aiter_lines()
        self.comments: list[str] = []

    async def next_event(self) -> dict[str, str]:
        fields: dict[str, str] = {}
        async with asyncio.timeout(10):
            async for line in self._lines:
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                elif line:
                    name, _, value = line.partition(": ")
                    fields[name] = value
                elif fields:
                    return fields
        raise AssertionError("stream ended")

    async def next_comment(self, text: str) -> None:
        async with asyncio.timeout(10):
            async for line in self._lines:
                if line.startswith(":") and line[1:].strip() == text:
                    return
        raise AssertionError("stream ended")


async def admin_transaction(client: httpx.AsyncClient, coop: str, amount: str) -> dict[str, Any]:
    response = await client.post(
        "/admin/transactions",
        json={"cooperative_id": coop, "amount": amount, "description": "Setoran tunai"},
        headers=ADMIN,
    )
    assert response.status_code == 201
    created: dict[str, Any] = response.json()
    return created


async def test_live_events_for_one_cooperative(settings: TangerangSettings) -> None:
    async with (
        served(settings) as client,
        client.stream("GET", STREAM, params={"cooperative_id": "coop_000001"}) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        reader = EventReader(response)
        await reader.next_comment("connected")
        await admin_transaction(client, "coop_000002", "1000.00")
        wanted = await admin_transaction(client, "coop_000001", "2500.00")
        event = await reader.next_event()
        assert event["event"] == "transaction"
        assert event["id"] == str(wanted["seq"])
        assert json.loads(event["data"]) == wanted


async def test_resume_after_last_event_id(settings: TangerangSettings) -> None:
    async with served(settings) as client:
        first = await admin_transaction(client, "coop_000003", "1000.00")
        second = await admin_transaction(client, "coop_000003", "2000.00")
        third = await admin_transaction(client, "coop_000003", "3000.00")
        headers = {"Last-Event-ID": str(first["seq"])}
        params = {"cooperative_id": "coop_000003"}
        async with client.stream("GET", STREAM, params=params, headers=headers) as response:
            reader = EventReader(response)
            replayed = [json.loads((await reader.next_event())["data"]) for _ in range(2)]
            assert replayed == [second, third]
            fourth = await admin_transaction(client, "coop_000003", "4000.00")
            assert json.loads((await reader.next_event())["data"]) == fourth
        bad = await client.get(STREAM, headers={"Last-Event-ID": "yesterday"})
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "invalid_last_event_id"
        assert (
            await client.get(STREAM, params={"cooperative_id": "coop_000404"})
        ).status_code == 404
        assert (await client.get(STREAM, auth=None)).status_code == 401


async def test_keep_alive_comments(settings: TangerangSettings) -> None:
    async with served(settings) as client, client.stream("GET", STREAM) as response:
        await EventReader(response).next_comment("keep-alive")


async def test_orders_bills_and_the_shop_clock_reach_the_stream(
    settings: TangerangSettings,
) -> None:
    settings.transaction_clock = 0.05
    async with served(settings) as client, client.stream("GET", STREAM) as response:
        reader = EventReader(response)
        await reader.next_comment("connected")
        types: set[str] = set()
        while "shop_purchase" not in types:
            types.add(json.loads((await reader.next_event())["data"])["type"])
        bills = (
            await client.get("/v2/members/mbr_000002/bills", params={"status": "unpaid"})
        ).json()
        paid = await client.post(f"/v2/bills/{bills['items'][0]['id']}:pay")
        items = (await client.get("/v2/catalog/items", params={"in_stock": "true"})).json()
        item = items["items"][0]
        order = await client.post(
            "/v2/orders",
            json={
                "buyer": {
                    "name": "Pak Budi",
                    "organization_id": "coop_000001",
                    "home_network": "tangerang",
                    "delivery_region_code": "36.71",
                },
                "lines": [{"item_id": item["id"], "quantity": item["min_order"]}],
            },
            headers={"Idempotency-Key": "stream-order"},
        )
        assert order.status_code == 201
        seen: dict[str, dict[str, Any]] = {}
        while not {"bill_payment", "order_created"} <= seen.keys():
            data = json.loads((await reader.next_event())["data"])
            seen[data["type"]] = data
        assert seen["bill_payment"] == paid.json()["transaction"]
        assert seen["order_created"]["order_id"] == order.json()["id"]
