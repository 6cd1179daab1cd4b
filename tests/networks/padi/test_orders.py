"""Purchase orders (idempotency, validation, lifecycle, visibility) and RFQ procurement."""

from __future__ import annotations

import asyncio
import datetime as dt

ORDER = "query($id: ID!) { purchaseOrder(id: $id) { id status total lines { quantity } } }"
CANCEL = "mutation($id: ID!) { cancelPurchaseOrder(id: $id) { id status } }"
BY_REFERENCE = "query($ref: String!) { purchaseOrders(filter: {clientReference: $ref}) { total items { id } } }"


async def test_order_takes_stock_and_logs_the_change(padi) -> None:
    product = await padi.orderable()
    head = (await padi.gql("{ productChanges(since: 0, size: 1) { upTo } }"))["productChanges"][
        "upTo"
    ]
    response = await padi.place("hub-1", [(product["id"], product["minOrder"])])
    order = response.json()["data"]["createPurchaseOrder"]
    assert order["id"].startswith("PO-")
    assert order["status"] == "CREATED"
    assert order["clientReference"] == "hub-1"
    assert order["buyer"]["homeNetwork"] == "sejuk"
    assert order["buyer"]["deliveryRegionCode"] == "32.73"
    assert order["total"] == product["price"] * product["minOrder"]
    assert order["lines"][0]["unitPrice"] == product["price"]
    after = await padi.product(product["id"])
    assert after["stock"] == product["stock"] - product["minOrder"]
    feed = await padi.gql(f"{{ productChanges(since: {head}) {{ items {{ productId kind }} }} }}")
    assert feed["productChanges"]["items"] == [{"productId": product["id"], "kind": "CHANGED"}]


async def test_same_reference_same_input_returns_the_same_order(padi) -> None:
    product = await padi.orderable()
    first = (await padi.place("hub-2", [(product["id"], product["minOrder"])])).json()
    again = (await padi.place("hub-2", [(product["id"], product["minOrder"])])).json()
    assert again["data"]["createPurchaseOrder"]["id"] == first["data"]["createPurchaseOrder"]["id"]
    assert (await padi.product(product["id"]))["stock"] == product["stock"] - product["minOrder"]
    different = await padi.place("hub-2", [(product["id"], product["minOrder"] + 1)])
    error = different.json()["errors"][0]
    assert error["extensions"]["code"] == "DUPLICATE_REFERENCE"


async def test_concurrent_duplicates_make_exactly_one_order(padi) -> None:
    product = await padi.orderable()
    responses = await asyncio.gather(
        *(padi.place("hub-race", [(product["id"], product["minOrder"])]) for _ in range(6))
    )
    ids = {r.json()["data"]["createPurchaseOrder"]["id"] for r in responses}
    assert len(ids) == 1
    listed = await padi.gql(BY_REFERENCE, {"ref": "hub-race"})
    assert listed["purchaseOrders"]["total"] == 1
    assert (await padi.product(product["id"]))["stock"] == product["stock"] - product["minOrder"]


async def test_a_reference_belongs_to_its_client_and_orders_are_private(padi) -> None:
    product = await padi.orderable()
    mine = (await padi.place("shared-ref", [(product["id"], product["minOrder"])])).json()
    order_id = mine["data"]["createPurchaseOrder"]["id"]
    other = await padi.as_client(("mitra-lain", "mitra-secret"))
    assert (await other.gql(ORDER, {"id": order_id}))["purchaseOrder"] is None
    assert (await other.gql("{ purchaseOrders { total } }"))["purchaseOrders"]["total"] == 0
    assert (await other.error(CANCEL, {"id": order_id}))["extensions"]["code"] == "NOT_FOUND"
    theirs = (await other.place("shared-ref", [(product["id"], product["minOrder"])])).json()
    assert theirs["data"]["createPurchaseOrder"]["id"] != order_id


async def test_bad_orders_are_refused_and_leave_stock_alone(padi) -> None:
    good = await padi.orderable()
    other = await padi.orderable(skip=1)
    cases = {
        "INVALID_INPUT": [(good["id"], 0)],
        "NOT_FOUND": [(good["id"], good["minOrder"]), ("PRD-tidak-ada", 1)],
        "OUT_OF_STOCK": [(good["id"], good["minOrder"]), (other["id"], other["stock"] + 1)],
    }
    for code, lines in cases.items():
        error = (await padi.place(f"bad-{code}", lines)).json()["errors"][0]
        assert error["extensions"]["code"] == code, error
    repeated = await padi.place("bad-repeat", [(good["id"], good["minOrder"])] * 2)
    assert repeated.json()["errors"][0]["extensions"]["details"][0]["problem"].startswith(
        "product repeated"
    )
    if good["minOrder"] > 1:
        below = await padi.place("bad-min", [(good["id"], good["minOrder"] - 1)])
        assert below.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    region = await padi.place(
        "bad-region",
        [(good["id"], good["minOrder"])],
        buyer={
            "name": "X",
            "organizationId": "x",
            "homeNetwork": "sejuk",
            "deliveryRegionCode": "Bandung",
        },
    )
    assert region.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    empty = await padi.place("bad-empty", [])
    assert empty.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert (await padi.product(good["id"]))["stock"] == good["stock"]
    assert (await padi.product(other["id"]))["stock"] == other["stock"]
    assert (await padi.gql("{ purchaseOrders { total } }"))["purchaseOrders"]["total"] == 0


async def test_cancel_restores_stock_until_shipped(padi) -> None:
    product = await padi.orderable()
    order = (await padi.place("c-1", [(product["id"], product["minOrder"])])).json()
    order_id = order["data"]["createPurchaseOrder"]["id"]
    cancelled = await padi.gql(CANCEL, {"id": order_id})
    assert cancelled["cancelPurchaseOrder"]["status"] == "CANCELLED"
    assert (await padi.product(product["id"]))["stock"] == product["stock"]
    assert (await padi.error(CANCEL, {"id": order_id}))["extensions"]["code"] == "INVALID_STATE"

    shipped = (await padi.place("c-2", [(product["id"], product["minOrder"])])).json()
    shipped_id = shipped["data"]["createPurchaseOrder"]["id"]
    for _ in range(2):
        r = await padi.http.post(f"/admin/purchase-orders/{shipped_id}/advance", headers=padi.admin)
        assert r.status_code == 200
    assert r.json()["status"] == "SHIPPED"
    assert (await padi.error(CANCEL, {"id": shipped_id}))["extensions"]["code"] == "INVALID_STATE"
    assert (await padi.error(CANCEL, {"id": "PO-999999"}))["extensions"]["code"] == "NOT_FOUND"


async def test_admin_advance_walks_the_lifecycle(padi) -> None:
    product = await padi.orderable()
    order = (await padi.place("l-1", [(product["id"], product["minOrder"])])).json()
    order_id = order["data"]["createPurchaseOrder"]["id"]
    url = f"/admin/purchase-orders/{order_id}/advance"
    assert (await padi.http.post(url)).status_code == 401
    seen = []
    for _ in range(3):
        r = await padi.http.post(url, headers=padi.admin)
        seen.append(r.json()["status"])
    assert seen == ["CONFIRMED", "SHIPPED", "DELIVERED"]
    final = await padi.http.post(url, headers=padi.admin)
    assert final.status_code == 409
    assert final.json()["error"]["code"] == "INVALID_STATE"
    assert (await padi.gql(ORDER, {"id": order_id}))["purchaseOrder"]["status"] == "DELIVERED"
    missing = await padi.http.post("/admin/purchase-orders/PO-999999/advance", headers=padi.admin)
    assert missing.status_code == 404
    delivered = await padi.gql("{ purchaseOrders(filter: {status: DELIVERED}) { total } }")
    assert delivered["purchaseOrders"]["total"] == 1


async def test_order_clock_moves_open_orders_to_delivered(launch) -> None:
    async with launch(order_clock=0.02) as padi:
        product = await padi.orderable()
        order = (await padi.place("clock-1", [(product["id"], product["minOrder"])])).json()
        order_id = order["data"]["createPurchaseOrder"]["id"]
        for _ in range(500):
            status = (await padi.gql(ORDER, {"id": order_id}))["purchaseOrder"]["status"]
            if status == "DELIVERED":
                break
            await asyncio.sleep(0.01)
        assert status == "DELIVERED"


PUBLISH = """
mutation($input: PublishRfqInput!) {
  publishRfq(input: $input) { id status bumnId kbli regionCode deadline quantity }
}
"""
QUOTE = """
mutation($input: SubmitQuotationInput!) {
  submitQuotation(input: $input) { id rfqId status amount umkm { nib } }
}
"""
AWARD = """
mutation($rfq: ID!, $q: ID!) {
  awardRfq(rfqId: $rfq, quotationId: $q) {
    id status total rfqId bumnId buyer { name organizationId homeNetwork deliveryRegionCode }
    lines { umkmId description quantity unitPrice }
  }
}
"""


async def test_rfq_to_purchase_order(padi) -> None:
    umkms = (await padi.gql("{ umkms(size: 3) { items { id } } }"))["umkms"]["items"]
    deadline = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    rfq_input = {
        "bumnId": "BUMN-PANGAN",
        "title": "Pengadaan beras premium untuk kantin",
        "kbli": "10613",
        "regionCode": "31.74",
        "quantity": 500,
        "unit": "karung",
        "deadline": deadline,
    }
    rfq = (await padi.gql(PUBLISH, {"input": rfq_input}))["publishRfq"]
    assert rfq["status"] == "OPEN"
    assert rfq["id"].startswith("RFQ-")
    quotes = []
    for number, umkm in enumerate(umkms[:2]):
        quote = {
            "rfqId": rfq["id"],
            "umkmId": umkm["id"],
            "unitPrice": 75_000 + number * 1_000,
            "quantity": 500,
            "deliveryDays": 7,
            "note": "siap kirim",
        }
        quotes.append((await padi.gql(QUOTE, {"input": quote}))["submitQuotation"])
    assert quotes[0]["amount"] == 75_000 * 500
    twice = {
        "rfqId": rfq["id"],
        "umkmId": umkms[0]["id"],
        "unitPrice": 1,
        "quantity": 1,
        "deliveryDays": 1,
    }
    assert (await padi.error(QUOTE, {"input": twice}))["extensions"]["code"] == "INVALID_STATE"
    listed = await padi.gql("query($id: ID!) { quotations(rfqId: $id) { id } }", {"id": rfq["id"]})
    assert [q["id"] for q in listed["quotations"]] == [q["id"] for q in quotes]

    spend_before = await padi.gql(
        '{ spend(groupBy: BUMN, filter: {bumnId: "BUMN-PANGAN"}) { total } }'
    )
    order = (await padi.gql(AWARD, {"rfq": rfq["id"], "q": quotes[0]["id"]}))["awardRfq"]
    assert order["status"] == "CREATED"
    assert order["total"] == 75_000 * 500
    assert order["bumnId"] == "BUMN-PANGAN"
    assert order["buyer"]["name"] == "PT Pangan Negeri (Persero)"
    assert order["lines"] == [
        {
            "umkmId": umkms[0]["id"],
            "description": rfq_input["title"],
            "quantity": 500,
            "unitPrice": 75_000,
        }
    ]
    after = await padi.gql(
        "query($id: ID!) { rfq(id: $id) { status awardedQuotationId } quotations(rfqId: $id) { status } }",
        {"id": rfq["id"]},
    )
    assert after["rfq"] == {"status": "AWARDED", "awardedQuotationId": quotes[0]["id"]}
    assert [q["status"] for q in after["quotations"]] == ["AWARDED", "REJECTED"]
    spend_after = await padi.gql(
        '{ spend(groupBy: BUMN, filter: {bumnId: "BUMN-PANGAN"}) { total } }'
    )
    assert spend_after["spend"]["total"] == spend_before["spend"]["total"] + order["total"]
    again = await padi.error(AWARD, {"rfq": rfq["id"], "q": quotes[1]["id"]})
    assert again["extensions"]["code"] == "INVALID_STATE"
    late = {**twice, "umkmId": umkms[2]["id"]}
    assert (await padi.error(QUOTE, {"input": late}))["extensions"]["code"] == "INVALID_STATE"
    open_rfqs = await padi.gql("{ rfqs(filter: {status: AWARDED}) { total items { id } } }")
    assert open_rfqs["rfqs"]["items"] == [{"id": rfq["id"]}]


async def test_rfq_refusals(padi) -> None:
    past = {
        "bumnId": "BUMN-PANGAN",
        "title": "Beras",
        "kbli": "10613",
        "quantity": 1,
        "unit": "karung",
        "deadline": "2020-01-01",
    }
    assert (await padi.error(PUBLISH, {"input": past}))["extensions"]["code"] == "INVALID_INPUT"
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    unknown = {**past, "deadline": future, "bumnId": "BUMN-TIDAK-ADA"}
    assert (await padi.error(PUBLISH, {"input": unknown}))["extensions"]["code"] == "NOT_FOUND"
    bad_kbli = {**past, "deadline": future, "kbli": "beras"}
    assert (await padi.error(PUBLISH, {"input": bad_kbli}))["extensions"]["code"] == "INVALID_INPUT"
    quote = {"rfqId": "RFQ-000404", "umkmId": "x", "unitPrice": 1, "quantity": 1, "deliveryDays": 1}
    assert (await padi.error(QUOTE, {"input": quote}))["extensions"]["code"] == "NOT_FOUND"
    assert (await padi.gql('{ rfq(id: "nonsense") { id } }'))["rfq"] is None
    assert (await padi.gql("{ rfqs { total } }"))["rfqs"]["total"] == 0


async def test_publishing_an_rfq_again_under_its_client_reference_returns_it(padi) -> None:
    rfq_input = {
        "bumnId": "BUMN-KAI",
        "title": "Snack rapat direksi",
        "kbli": "10794",
        "quantity": 200,
        "unit": "pak",
        "deadline": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        "clientReference": "hub-rfq-1-0",
    }
    first = (await padi.gql(PUBLISH, {"input": rfq_input}))["publishRfq"]
    again = (await padi.gql(PUBLISH, {"input": rfq_input}))["publishRfq"]
    assert again == first
    other = {**rfq_input, "quantity": 300}
    error = await padi.error(PUBLISH, {"input": other})
    assert error["extensions"]["code"] == "DUPLICATE_REFERENCE"
    unreferenced = {k: v for k, v in rfq_input.items() if k != "clientReference"}
    one, two = [(await padi.gql(PUBLISH, {"input": unreferenced}))["publishRfq"] for _ in "12"]
    assert len({first["id"], one["id"], two["id"]}) == 3
