"""Members, one-door bills, bill payment and the transaction list."""

from __future__ import annotations

from typing import Any

import httpx

from networks.common.clock import month_key
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth

ADMIN = {"Authorization": "Bearer admin-dev-token"}


async def walk(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    query: dict[str, Any] = {"limit": 3, **params}
    while True:
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        found.extend(page["items"])
        if page["next_cursor"] is None:
            return found
        query["cursor"] = page["next_cursor"]


async def test_members_page_per_cooperative(client: httpx.AsyncClient) -> None:
    coop = (await client.get("/v2/cooperatives/coop_000001")).json()
    members = await walk(client, "/v2/cooperatives/coop_000001/members")
    assert len(members) == coop["member_count"]
    assert len({m["id"] for m in members}) == len(members)
    assert {m["cooperative_id"] for m in members} == {"coop_000001"}
    member = (await client.get(f"/v2/members/{members[0]['id']}")).json()
    assert member == members[0]
    other = await client.get("/v2/cooperatives/coop_000002/members", params={"limit": 1})
    cursor = other.json()["next_cursor"]
    response = await client.get("/v2/cooperatives/coop_000001/members", params={"cursor": cursor})
    assert response.status_code == 400
    assert (await client.get("/v2/cooperatives/coop_000404/members")).status_code == 404
    assert (await client.get("/v2/members/mbr_999999")).status_code == 404


async def test_bills_and_payment(client: httpx.AsyncClient, settings: TangerangSettings) -> None:
    bills = await walk(client, "/v2/members/mbr_000001/bills")
    kinds = {b["kind"] for b in bills}
    assert {"simpanan_wajib", "iuran", "listrik", "pdam"} <= kinds
    # The bills are the seeding month's.
    month = month_key(settings.seeded_on)
    assert all(b["amount"].endswith(".00") and b["due_date"].startswith(month) for b in bills)
    unpaid = await walk(client, "/v2/members/mbr_000001/bills", status="unpaid")
    assert {b["status"] for b in unpaid} <= {"unpaid"}
    if not unpaid:
        unpaid = await walk(client, "/v2/members/mbr_000002/bills", status="unpaid")
    bill = unpaid[0]
    response = await client.post(f"/v2/bills/{bill['id']}:pay")
    assert response.status_code == 200
    payment = response.json()
    assert payment["bill"]["status"] == "paid"
    assert payment["bill"]["transaction_id"] == payment["transaction"]["id"]
    assert payment["transaction"]["amount"] == bill["amount"]
    assert payment["transaction"]["type"] == "bill_payment"
    assert payment["transaction"]["member_id"] == bill["member_id"]
    again = await client.post(f"/v2/bills/{bill['id']}:pay")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "bill_already_paid"
    assert (await client.post("/v2/bills/bill_999999:pay")).status_code == 404
    history = await walk(client, "/v2/transactions", cooperative_id=bill["cooperative_id"])
    assert history[-1] == payment["transaction"]
    assert (
        await client.get("/v2/members/mbr_000001/bills", params={"status": "late"})
    ).status_code == 400


async def test_transactions_list_and_admin_transactions(client: httpx.AsyncClient) -> None:
    everything = await walk(client, "/v2/transactions", limit=50)
    seqs = [t["seq"] for t in everything]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
    members = await walk(client, "/v2/cooperatives/coop_000004/members")
    response = await client.post(
        "/admin/transactions",
        json={
            "cooperative_id": "coop_000004",
            "member_id": members[0]["id"],
            "type": "simpanan_sukarela",
            "amount": "150000.00",
            "description": "Setoran simpanan sukarela",
        },
        headers=ADMIN,
    )
    assert response.status_code == 201
    created = response.json()
    assert created["amount"] == "150000.00"
    coop = await walk(client, "/v2/transactions", cooperative_id="coop_000004")
    assert coop[-1] == created
    assert {t["cooperative_id"] for t in coop} == {"coop_000004"}
    for body in (
        {"cooperative_id": "coop_000404", "amount": "1000", "description": "x"},
        {
            "cooperative_id": "coop_000004",
            "member_id": "mbr_000001",
            "amount": "1",
            "description": "x",
        },
        {"cooperative_id": "coop_000004", "amount": 1000, "description": "x"},
    ):
        response = await client.post("/admin/transactions", json=body, headers=ADMIN)
        assert response.status_code == 422, body
    assert (await client.get("/v2/transactions", params={"cooperative_id": "x"})).status_code == 400
    missing = await client.get("/v2/transactions", params={"cooperative_id": "coop_000404"})
    assert missing.status_code == 404


async def test_order_transactions_are_visible_to_their_client_only(
    client: httpx.AsyncClient,
) -> None:
    item = next(
        i
        for i in (await client.get("/v2/catalog/items", params={"limit": 50})).json()["items"]
        if i["stock"] is None or i["stock"] > 50
    )
    body = {
        "buyer": {
            "name": "Koperasi Mitra",
            "organization_id": "coop_000002",
            "home_network": "tangerang",
            "delivery_region_code": "36.71",
        },
        "lines": [{"item_id": item["id"], "quantity": item["min_order"]}],
    }
    order = await client.post("/v2/orders", json=body, headers={"Idempotency-Key": "vis"})
    assert order.status_code == 201
    mine = await walk(client, "/v2/transactions", cooperative_id="coop_000002")
    assert mine[-1]["order_id"] == order.json()["id"]
    other = HmacAuth("other-app", "other-secret")
    response = await client.get(
        "/v2/transactions", params={"cooperative_id": "coop_000002", "limit": 100}, auth=other
    )
    assert all(t["order_id"] is None for t in response.json()["items"])
