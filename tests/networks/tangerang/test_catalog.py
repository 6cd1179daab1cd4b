"""Catalog items: search and filters, get, batch get, admin changes and the change feed."""

from __future__ import annotations

from typing import Any

import httpx

ADMIN = {"Authorization": "Bearer admin-dev-token"}


async def all_items(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": 25, **params}
        if cursor:
            query["cursor"] = cursor
        response = await client.get("/v2/catalog/items", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        found.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return found


async def changes_since(
    client: httpx.AsyncClient, cursor: str | None, limit: int = 25
) -> tuple[list[dict[str, Any]], str]:
    found: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await client.get("/v2/catalog/changes", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        found.extend(page["changes"])
        cursor = page["next_cursor"]
        assert cursor
        if not page["has_more"]:
            return found, cursor


async def test_items_have_string_prices_and_sometimes_unknown_stock(
    client: httpx.AsyncClient,
) -> None:
    items = await all_items(client)
    assert len(items) == 120
    assert len({i["id"] for i in items}) == 120
    assert all(isinstance(i["price"], str) and i["price"].endswith(".00") for i in items)
    unknown = [i for i in items if i["stock"] is None]
    assert 3 <= len(unknown) <= 40
    assert all(i["currency"] == "IDR" for i in items)


async def test_item_filters(client: httpx.AsyncClient) -> None:
    items = await all_items(client)
    sample = items[0]
    by_category = await all_items(client, category=sample["category"])
    assert {i["id"] for i in by_category} == {
        i["id"] for i in items if i["category"] == sample["category"]
    }
    by_merchant = await all_items(client, merchant_id=sample["merchant_id"])
    assert {i["merchant_id"] for i in by_merchant} == {sample["merchant_id"]}
    word = sample["name"].split()[0]
    assert all(word.lower() in i["name"].lower() for i in await all_items(client, q=word))
    banten = await all_items(client, region_code="36")
    assert banten == [i for i in items if i["region_code"].startswith("36.")]
    assert len(banten) > len(items) // 2
    city = await all_items(client, region_code="36.71")
    assert city == [i for i in items if i["region_code"] == "36.71"]
    cheap = await all_items(client, min_price="20000", max_price="60000.00")
    assert cheap
    assert all(20_000 <= float(i["price"]) <= 60_000 for i in cheap)
    orderable = await all_items(client, in_stock="true")
    assert {i["id"] for i in orderable} == {
        i["id"] for i in items if i["stock"] is None or i["stock"] > 0
    }
    sold_out = await all_items(client, in_stock="false")
    assert all(i["stock"] == 0 for i in sold_out)


async def test_bad_item_filters(client: httpx.AsyncClient) -> None:
    for params in (
        {"category": "furniture"},
        {"min_price": "abc"},
        {"min_price": "10.50"},
        {"in_stock": "maybe"},
        {"region_code": "Tangerang"},
    ):
        response = await client.get("/v2/catalog/items", params=params)
        assert response.status_code == 400, params
        assert response.json()["error"]["details"], params
    response = await client.get("/v2/catalog/items", params={"merchant_id": "42"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter"


async def test_get_and_batch_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/catalog/items/itm_000005")
    assert response.status_code == 200
    item = response.json()
    assert item["merchant_name"]
    response = await client.get("/v2/catalog/items/itm_009999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "item_not_found"
    response = await client.post(
        "/v2/catalog/items:batchGet",
        json={"ids": ["itm_000005", "itm_000005", "itm_009999", "bogus"]},
    )
    assert response.json() == {"items": [item], "not_found": ["itm_009999", "bogus"]}


async def test_admin_upsert_and_delete_drive_the_feed(client: httpx.AsyncClient) -> None:
    seeded, cursor = await changes_since(client, None, limit=17)
    assert [c["version"] for c in seeded] == list(range(1, 121))
    assert {c["type"] for c in seeded} == {"upsert"}
    assert all(c["item"]["id"] == c["item_id"] for c in seeded)

    body = {
        "merchant_id": "mrc_000002",
        "name": "Kerupuk Kulit Ikan Tenggiri",
        "description": "Oleh-oleh khas Tangerang",
        "category": "keripik",
        "unit": "pak",
        "price": "25000.00",
        "stock": 40,
        "min_order": 2,
    }
    response = await client.put("/admin/items/itm_000500", json=body, headers=ADMIN)
    assert response.status_code == 201
    created = response.json()
    assert created["price"] == "25000.00"
    assert created["merchant_id"] == "mrc_000002"
    response = await client.put(
        "/admin/items/itm_000001", json={**body, "price": "30000", "stock": None}, headers=ADMIN
    )
    assert response.status_code == 200
    assert response.json()["stock"] is None
    response = await client.delete("/admin/items/itm_000002", headers=ADMIN)
    assert response.status_code == 204
    assert (await client.delete("/admin/items/itm_000002", headers=ADMIN)).status_code == 404
    assert (await client.get("/v2/catalog/items/itm_000002")).status_code == 404
    assert "itm_000002" not in {i["id"] for i in await all_items(client)}

    changes, cursor = await changes_since(client, cursor)
    assert [(c["item_id"], c["type"]) for c in changes] == [
        ("itm_000500", "upsert"),
        ("itm_000001", "upsert"),
        ("itm_000002", "delete"),
    ]
    assert changes[1]["item"]["price"] == "30000.00"
    assert changes[2]["item"] is None
    empty, resumed = await changes_since(client, cursor)
    assert empty == []
    assert resumed == cursor

    response = await client.put("/admin/items/itm_000002", json=body, headers=ADMIN)
    assert response.status_code == 200
    assert (await client.get("/v2/catalog/items/itm_000002")).status_code == 200


async def test_feed_paging_is_stable_while_changes_arrive(client: httpx.AsyncClient) -> None:
    seen: list[int] = []
    cursor: str | None = None
    writes = 0
    while True:
        params: dict[str, Any] = {"limit": 20}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/v2/catalog/changes", params=params)).json()
        seen.extend(c["version"] for c in page["changes"])
        cursor = page["next_cursor"]
        if writes < 4:
            response = await client.delete(f"/admin/items/itm_{writes + 10:06d}", headers=ADMIN)
            assert response.status_code == 204
            writes += 1
        elif not page["has_more"]:
            break
    assert seen == list(range(1, 125))


async def test_admin_item_validation(client: httpx.AsyncClient) -> None:
    good = {
        "merchant_id": "mrc_000001",
        "name": "Teh Melati",
        "category": "teh",
        "unit": "pak",
        "price": "9000.00",
    }
    for change, status in (
        ({"price": 9000}, 422),
        ({"price": "9000.50"}, 422),
        ({"category": "elektronik"}, 422),
        ({"merchant_id": "mrc_000999"}, 422),
        ({"stock": -1}, 422),
    ):
        response = await client.put(
            "/admin/items/itm_000900", json={**good, **change}, headers=ADMIN
        )
        assert response.status_code == status, change
    response = await client.put("/admin/items/banana", json=good, headers=ADMIN)
    assert response.status_code == 400
    assert (await client.get("/v2/catalog/items/itm_000900")).status_code == 404
    changes, _ = await changes_since(client, None, limit=100)
    assert len(changes) == 120
