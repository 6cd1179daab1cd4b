"""Cooperatives and merchants: filters, get, batch get and cursor paging."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from networks.common.catalog import COOPERATIVE_TYPES


async def walk(client: httpx.AsyncClient, path: str, limit: int) -> list[dict[str, Any]]:
    """Every item of a cursor-paged list."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        found.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return found


async def test_cooperatives_page_to_the_end_without_gaps(client: httpx.AsyncClient) -> None:
    everything = await walk(client, "/v2/cooperatives", 100)
    paged = await walk(client, "/v2/cooperatives", 5)
    assert [c["id"] for c in paged] == [c["id"] for c in everything]
    assert len({c["id"] for c in paged}) == len(paged) == 12
    assert {c["type"] for c in everything} == set(COOPERATIVE_TYPES)
    assert all(c["region_code"].startswith("36.") for c in everything)


async def test_cooperative_filters(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/cooperatives", params={"type": "pesantren"})
    found = response.json()["items"]
    assert found
    assert {c["type"] for c in found} == {"pesantren"}
    response = await client.get("/v2/cooperatives", params={"q": "kopontren"})
    assert {c["id"] for c in response.json()["items"]} == {c["id"] for c in found}
    response = await client.get("/v2/cooperatives", params={"region_code": "36.71"})
    assert all(c["region_code"] == "36.71" for c in response.json()["items"])
    response = await client.get("/v2/cooperatives", params={"region_code": "32"})
    assert response.json()["items"] == []
    response = await client.get("/v2/cooperatives", params={"type": "bank"})
    assert response.status_code == 400
    assert response.json()["error"]["details"]


async def test_cooperative_get_and_batch_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/cooperatives/coop_000003")
    assert response.status_code == 200
    coop = response.json()
    assert coop["id"] == "coop_000003"
    assert coop["member_count"] >= 3
    response = await client.get("/v2/cooperatives/coop_999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "cooperative_not_found"
    response = await client.post(
        "/v2/cooperatives:batchGet",
        json={"ids": ["coop_000002", "nonsense", "coop_000001", "coop_000777"]},
    )
    body = response.json()
    assert [c["id"] for c in body["items"]] == ["coop_000002", "coop_000001"]
    assert body["not_found"] == ["nonsense", "coop_000777"]


async def test_merchants_and_filters(client: httpx.AsyncClient) -> None:
    merchants = await walk(client, "/v2/merchants", 7)
    assert len(merchants) == 12
    assert all(len(m["nib"]) == 13 for m in merchants)
    sample = merchants[0]
    response = await client.get(f"/v2/merchants/{sample['id']}")
    assert response.json() == sample
    for field, value, check in (
        ("scale", sample["scale"], lambda m: m["scale"] == sample["scale"]),
        ("kbli", sample["kbli"], lambda m: sample["kbli"] in m["kbli_codes"]),
        ("region_code", "36", lambda m: m["region_code"].startswith("36.")),
        ("q", sample["name"][3:9], lambda m: sample["name"][3:9].lower() in m["name"].lower()),
    ):
        response = await client.get("/v2/merchants", params={field: value})
        found = response.json()["items"]
        assert found, field
        assert all(check(m) for m in found), field
    certified = [m for m in merchants if m["certifications"]]
    kind = certified[0]["certifications"][0]["type"]
    response = await client.get("/v2/merchants", params={"certification": kind})
    expected = {m["id"] for m in merchants if kind in {c["type"] for c in m["certifications"]}}
    assert {m["id"] for m in response.json()["items"]} == expected
    response = await client.post("/v2/merchants:batchGet", json={"ids": [sample["id"], "x"]})
    assert response.json() == {"items": [sample], "not_found": ["x"]}
    assert (await client.get("/v2/merchants/mrc_000999")).status_code == 404


async def test_paging_errors(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/cooperatives", params={"limit": 101})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "page_size_too_large"
    response = await client.get("/v2/cooperatives", params={"limit": 0})
    assert response.status_code == 400
    response = await client.get("/v2/cooperatives", params={"limit": 2})
    cursor = response.json()["next_cursor"]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload["p"] = 7
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    for bad in (forged, "not-a-cursor!!", cursor[:-3]):
        response = await client.get("/v2/cooperatives", params={"cursor": bad})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_cursor"
    response = await client.get("/v2/merchants", params={"cursor": cursor})
    assert response.status_code == 400
    response = await client.get("/v2/cooperatives", params={"colour": "red"})
    assert response.status_code == 400


async def test_batch_get_bad_bodies(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/cooperatives:batchGet", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    response = await client.post("/v2/cooperatives:batchGet", json={"ids": "coop_000001"})
    assert response.status_code == 422
    response = await client.post("/v2/cooperatives:batchGet", json={"ids": []})
    assert response.status_code == 422
    response = await client.post(
        "/v2/cooperatives:batchGet", json={"ids": [f"coop_{n:06d}" for n in range(101)]}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_ids"


async def test_merchants_by_nib(client: httpx.AsyncClient) -> None:
    merchants = await walk(client, "/v2/merchants", 100)
    first, second = merchants[3], merchants[0]
    response = await client.post(
        "/v2/merchants:batchGetByNib",
        json={"nibs": [first["nib"], "0000000000000", second["nib"], first["nib"], "x"]},
    )
    assert response.status_code == 200
    assert response.json() == {"items": [first, second], "not_found": ["0000000000000", "x"]}
    response = await client.post("/v2/merchants:batchGetByNib", json={"nibs": []})
    assert response.status_code == 422
    response = await client.post(
        "/v2/merchants:batchGetByNib", json={"nibs": [f"{n:013d}" for n in range(101)]}
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [{"field": "nibs", "problem": "101 given"}]
