"""Orders: idempotent creation, client scoping, cancel, status moves and bad input."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from networks.tangerang.app import create_app
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth
from networks.testing import in_process

ADMIN = {"Authorization": "Bearer admin-dev-token"}
BUYER = {
    "name": "Ibu Siti Rahmawati",
    "organization_id": "KOP-32.73-0042",
    "home_network": "sejuk",
    "delivery_region_code": "32.73",
}


async def stocked_items(client: httpx.AsyncClient, count: int) -> list[dict[str, Any]]:
    """Items with plenty of known stock."""
    response = await client.get("/v2/catalog/items", params={"limit": 100})
    found = [i for i in response.json()["items"] if i["stock"] is not None and i["stock"] > 100]
    return found[:count]


async def stock_of(client: httpx.AsyncClient, item_id: str) -> int | None:
    stock: int | None = (await client.get(f"/v2/catalog/items/{item_id}")).json()["stock"]
    return stock


async def order_transactions(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every transaction that came from an order, walking all pages."""
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = (await client.get("/v2/transactions", params=params)).json()
        found.extend(t for t in page["items"] if t["order_id"])
        if page["next_cursor"] is None:
            return found
        params["cursor"] = page["next_cursor"]


def order_body(*lines: tuple[dict[str, Any], int], note: str | None = None) -> dict[str, Any]:
    return {
        "buyer": BUYER,
        "lines": [{"item_id": item["id"], "quantity": qty} for item, qty in lines],
        "note": note,
    }


async def place(client: httpx.AsyncClient, body: dict[str, Any], key: str) -> httpx.Response:
    return await client.post("/v2/orders", json=body, headers={"Idempotency-Key": key})


async def test_create_get_and_replay(client: httpx.AsyncClient) -> None:
    first, second = await stocked_items(client, 2)
    before = first["stock"]
    qty = max(first["min_order"], 3)
    body = order_body((first, qty), (second, second["min_order"]), note="Kirim pagi")
    response = await place(client, body, "order-1")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    order = response.json()
    assert order["status"] == "created"
    assert order["buyer"] == BUYER
    expected_total = (
        int(first["price"][:-3]) * qty + int(second["price"][:-3]) * second["min_order"]
    )
    assert order["total"] == f"{expected_total}.00"
    assert order["lines"][0]["line_total"] == f"{int(first['price'][:-3]) * qty}.00"
    assert await stock_of(client, first["id"]) == before - qty

    replay = await place(client, body, "order-1")
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == order
    assert await stock_of(client, first["id"]) == before - qty

    reused = await place(client, order_body((first, qty + 1)), "order-1")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"

    fetched = await client.get(f"/v2/orders/{order['id']}")
    assert fetched.json() == order
    assert (await client.get("/v2/orders/ord_999999")).status_code == 404


async def test_keys_are_scoped_per_client_and_orders_are_private(
    client: httpx.AsyncClient,
) -> None:
    (item,) = await stocked_items(client, 1)
    body = order_body((item, item["min_order"]))
    mine = (await place(client, body, "shared-key")).json()
    other = HmacAuth("other-app", "other-secret")
    response = await client.post(
        "/v2/orders", json=body, headers={"Idempotency-Key": "shared-key"}, auth=other
    )
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert response.json()["id"] != mine["id"]
    hidden = await client.get(f"/v2/orders/{mine['id']}", auth=other)
    assert hidden.status_code == 404
    cancel = await client.post(f"/v2/orders/{mine['id']}:cancel", auth=other)
    assert cancel.status_code == 404


async def test_concurrent_duplicates_make_one_order(client: httpx.AsyncClient) -> None:
    (item,) = await stocked_items(client, 1)
    before = item["stock"]
    body = order_body((item, item["min_order"]))
    responses = await asyncio.gather(*(place(client, body, "burst") for _ in range(20)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum("Idempotent-Replayed" not in r.headers for r in responses) == 1
    assert await stock_of(client, item["id"]) == before - item["min_order"]


async def test_missing_idempotency_key(client: httpx.AsyncClient) -> None:
    (item,) = await stocked_items(client, 1)
    response = await client.post("/v2/orders", json=order_body((item, item["min_order"])))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_required"


async def test_bad_orders_change_nothing(client: httpx.AsyncClient) -> None:
    first, second = await stocked_items(client, 2)
    cases: list[tuple[Any, int, str]] = [
        (b"{broken", 400, "bad_request"),
        ({"buyer": BUYER, "lines": []}, 422, "unprocessable"),
        (order_body((first, 0)), 422, "unprocessable"),
        (order_body((first, -2)), 422, "unprocessable"),
        (
            {**order_body((first, 1)), "lines": [{"item_id": first["id"], "quantity": "two"}]},
            422,
            "unprocessable",
        ),
        ({**order_body((first, 1)), "buyer": {"name": "x"}}, 422, "unprocessable"),
        (
            order_body((first, first["min_order"]), (first, first["min_order"])),
            422,
            "duplicate_line",
        ),
        (order_body((second, second["min_order"]), ({"id": "itm_777777"}, 1)), 422, "unknown_item"),
        (
            order_body((second, second["min_order"]), (first, first["stock"] + 1)),
            409,
            "insufficient_stock",
        ),
    ]
    for number, (body, status, code) in enumerate(cases):
        headers = {"Idempotency-Key": f"bad-{number}"}
        if isinstance(body, bytes):
            response = await client.post("/v2/orders", content=body, headers=headers)
        else:
            response = await client.post("/v2/orders", json=body, headers=headers)
        assert response.status_code == status, (number, response.text)
        assert response.json()["error"]["code"] == code, number
    assert await stock_of(client, first["id"]) == first["stock"]
    assert await stock_of(client, second["id"]) == second["stock"]
    assert await order_transactions(client) == []


async def test_minimum_order_is_enforced(client: httpx.AsyncClient) -> None:
    response = await client.put(
        "/admin/items/itm_000300",
        json={
            "merchant_id": "mrc_000001",
            "name": "Minyak Goreng Curah 1 kg",
            "category": "minyak-goreng",
            "unit": "kg",
            "price": "16000",
            "stock": 500,
            "min_order": 10,
        },
        headers=ADMIN,
    )
    item = response.json()
    response = await place(client, order_body((item, 9)), "too-few")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "below_min_order"
    assert await stock_of(client, "itm_000300") == 500
    assert (await place(client, order_body((item, 10)), "enough")).status_code == 201
    assert await stock_of(client, "itm_000300") == 490


async def test_unknown_stock_is_not_decremented(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/catalog/items", params={"limit": 100})
    item = next(i for i in response.json()["items"] if i["stock"] is None)
    response = await place(client, order_body((item, item["min_order"] * 1000)), "unknown-stock")
    assert response.status_code == 201
    assert await stock_of(client, item["id"]) is None


async def test_lifecycle_cancel_and_advance(client: httpx.AsyncClient) -> None:
    (item,) = await stocked_items(client, 1)
    before = item["stock"]
    body = order_body((item, item["min_order"]))
    order = (await place(client, body, "to-cancel")).json()
    response = await client.post(f"/v2/orders/{order['id']}:advance", headers=ADMIN)
    assert response.status_code in (404, 405)
    response = await client.post(f"/admin/orders/{order['id']}:advance", headers=ADMIN)
    assert response.json()["status"] == "confirmed"
    cancelled = await client.post(f"/v2/orders/{order['id']}:cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert await stock_of(client, item["id"]) == before
    again = await client.post(f"/v2/orders/{order['id']}:cancel")
    assert again.json()["status"] == "cancelled"
    assert await stock_of(client, item["id"]) == before
    final = await client.post(f"/admin/orders/{order['id']}:advance", headers=ADMIN)
    assert final.status_code == 409
    assert final.json()["error"]["code"] == "order_not_advanceable"

    order = (await place(client, body, "to-deliver")).json()
    statuses = [
        (await client.post(f"/admin/orders/{order['id']}:advance", headers=ADMIN)).json()["status"]
        for _ in range(3)
    ]
    assert statuses == ["confirmed", "shipped", "delivered"]
    late = await client.post(f"/v2/orders/{order['id']}:cancel")
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "order_not_cancellable"
    assert await stock_of(client, item["id"]) == before - item["min_order"]
    missing = await client.post("/admin/orders/ord_888888:advance", headers=ADMIN)
    assert missing.status_code == 404


async def test_order_clock_moves_open_orders(tmp_path: Path, settings: TangerangSettings) -> None:
    settings.order_clock = 0.05
    async with in_process(create_app(settings)) as client:
        client.auth = HmacAuth("koperasi-hub", "tangerang-dev-secret")
        (item,) = await stocked_items(client, 1)
        order = (await place(client, order_body((item, item["min_order"])), "clock")).json()
        status = order["status"]
        for _ in range(200):
            status = (await client.get(f"/v2/orders/{order['id']}")).json()["status"]
            if status == "delivered":
                break
            await asyncio.sleep(0.02)
        assert status == "delivered"
        kinds = [
            t["type"] for t in await order_transactions(client) if t["order_id"] == order["id"]
        ]
        assert kinds == ["order_created", "order_confirmed", "order_shipped", "order_delivered"]


async def test_lookup_by_idempotency_key(client: httpx.AsyncClient) -> None:
    first, second = await stocked_items(client, 2)
    assert (await client.get("/v2/orders", params={"idempotency_key": "lookup-1"})).json() == {
        "items": [],
        "next_cursor": None,
    }
    placed = (await place(client, order_body((first, first["min_order"])), "lookup-1")).json()
    assert placed["idempotency_key"] == "lookup-1"
    await place(client, order_body((second, second["min_order"])), "lookup-2")
    found = (await client.get("/v2/orders", params={"idempotency_key": "lookup-1"})).json()
    assert found == {"items": [placed], "next_cursor": None}
    assert (await client.get(f"/v2/orders/{placed['id']}")).json() == placed

    other = HmacAuth("other-app", "other-secret")
    hidden = await client.get("/v2/orders", params={"idempotency_key": "lookup-1"}, auth=other)
    assert hidden.json()["items"] == []
    assert (await client.get("/v2/orders", auth=other)).json()["items"] == []

    first_page = (await client.get("/v2/orders", params={"limit": 1})).json()
    assert [o["idempotency_key"] for o in first_page["items"]] == ["lookup-1"]
    rest = await client.get("/v2/orders", params={"limit": 1, "cursor": first_page["next_cursor"]})
    assert [o["idempotency_key"] for o in rest.json()["items"]] == ["lookup-2"]
    assert rest.json()["next_cursor"] is None
    for params in ({"idempotency_key": ""}, {"limit": "101"}, {"cursor": "nonsense"}):
        assert (await client.get("/v2/orders", params=params)).status_code == 400, params


async def test_openapi_describes_the_lookup(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json", auth=None)).json()
    listing = document["paths"]["/v2/orders"]["get"]
    assert {"idempotency_key", "limit", "cursor"} <= {p["name"] for p in listing["parameters"]}
    order = document["components"]["schemas"]["Order"]
    assert "idempotency_key" in order["required"]
