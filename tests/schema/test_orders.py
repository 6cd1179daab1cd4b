"""placeOrder across networks: both placed or neither, idempotent, never half-written."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from typing import Any

import pytest

from connectors.records import Buyer, OrderLineRequest, OrderRequest, OrderStatus
from federation.hub import Federation
from federation.orders.service import OrderService
from resolvers.ids import from_global_id
from tests.schema.conftest import run
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

PLACE = """
mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    id status failureReason total { amount }
    lines { network { code } quantity unitPrice { amount } amount { amount } }
    subOrders { network { code } reference nativeId state networkStatus }
    events { kind status message }
  }
}
"""
CANCEL = (
    "mutation C($id: ID!) { cancelOrder(id: $id) { id status subOrders { state networkStatus } } }"
)
ORDER = "query O($id: ID!) { order(id: $id) { id status subOrders { network { code } networkStatus } } }"

# Each network's own order table and the column holding the hub's reference.
NETWORK_ORDERS = {
    "sejuk": ("pesanan", "referensi_klien"),
    "tangerang": ("orders", "idempotency_key"),
    "padi": ("purchase_orders", "client_reference"),
}


def network_rows(networks: LiveNetworks, code: str, reference: str | None = None) -> int:
    """Orders in the network's own database (with ``reference``, when given)."""
    table, column = NETWORK_ORDERS[code]
    path = networks.apps[code].state.settings.database
    with sqlite3.connect(path) as conn:
        if reference is None:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        query = f"SELECT count(*) FROM {table} WHERE {column} = ?"
        return int(conn.execute(query, (reference,)).fetchone()[0])


async def orderable(federation: Federation, network: str, skip: int = 0) -> dict[str, Any]:
    """A product of ``network`` with plenty of stock."""
    query = """query P($f: ProductFilter) { search(first: 60, filter: $f) {
      edges { node { id minOrder stock network { code } } } } }"""
    result = await run(federation, query, {"f": {"networks": [network], "inStock": True}})
    nodes = [
        e["node"]
        for e in result.data["search"]["edges"]
        if e["node"]["stock"] is None or e["node"]["stock"] >= e["node"]["minOrder"] + 10
    ]
    return nodes[skip]


async def settle(federation: Federation, orders: OrderService, order_id: str) -> dict[str, Any]:
    """The order once the worker has finished with it (bounded: 50 passes), read by its
    buyer."""
    query = """query O($id: ID!) { order(id: $id) { id status failureReason
      subOrders { network { code } reference state networkStatus } } }"""
    stored = await orders.store.load(from_global_id(order_id)[1][0])
    assert stored is not None
    for _ in range(50):
        await orders.worker.drain()
        found = await run(federation, query, {"id": order_id}, orders, who=stored.buyer_id)
        order = found.data["order"]
        if order["status"] not in ("PENDING", "PLACING", "COMPENSATING", "CANCELLING"):
            return dict(order)
        await asyncio.sleep(0.1)
    raise AssertionError(f"order {order_id} did not settle")


async def buyer(federation: Federation) -> str:
    result = await run(
        federation,
        '{ cooperatives(first: 1, filter: {networks: ["sejuk"]}) { edges { node { id } } } }',
    )
    return str(result.data["cooperatives"]["edges"][0]["node"]["id"])


async def order_input(federation: Federation, *networks: str, skip: int = 0) -> dict[str, Any]:
    lines = []
    for network in networks:
        product = await orderable(federation, network, skip)
        lines.append({"productId": product["id"], "quantity": product["minOrder"]})
    return {
        "buyerId": await buyer(federation),
        "lines": lines,
        "deliveryRegionCode": "32.73",
        "idempotencyKey": f"test-{uuid.uuid4()}",
    }


async def test_a_two_network_order_lands_in_both_networks_and_is_confirmed(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "tangerang", "sejuk")
    result = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    assert result.errors is None, result.errors
    order = result.data["placeOrder"]
    assert order["status"] == "CONFIRMED"
    assert {s["network"]["code"] for s in order["subOrders"]} == {"tangerang", "sejuk"}
    assert all(s["state"] == "PLACED" and s["nativeId"] for s in order["subOrders"])
    for sub in order["subOrders"]:
        assert network_rows(clean, sub["network"]["code"], sub["reference"]) == 1
    assert order["total"]["amount"] == sum(line["amount"]["amount"] for line in order["lines"])
    kinds = [e["kind"] for e in order["events"]]
    assert kinds[0] == "CREATED"
    assert kinds[-1] == "CONFIRMED"


async def test_twenty_concurrent_placements_with_one_key_make_one_order(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "sejuk", "padi", skip=1)
    results = await asyncio.gather(
        *(
            run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
            for _ in range(20)
        )
    )
    assert all(r.errors is None for r in results), [r.errors for r in results if r.errors]
    ids = {r.data["placeOrder"]["id"] for r in results}
    assert len(ids) == 1
    final = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    assert final.data["placeOrder"]["status"] == "CONFIRMED"
    for sub in final.data["placeOrder"]["subOrders"]:
        assert network_rows(clean, sub["network"]["code"], sub["reference"]) == 1


async def test_a_network_failing_at_placement_cancels_the_other_and_fails_the_order(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "sejuk", "tangerang", skip=2)
    await clean.set_faults("tangerang", down="503", paths=["/v2/orders"])
    result = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    placing = result.data["placeOrder"]
    # Tangerang may have taken the order before failing: until it can say, the hub waits.
    assert placing["status"] == "COMPENSATING"
    assert "tangerang" in placing["failureReason"]
    await clean.clear_faults()
    order = await settle(federation, orders, placing["id"])
    assert order["status"] == "FAILED"
    assert "tangerang" in order["failureReason"]
    by_network = {s["network"]["code"]: s for s in order["subOrders"]}
    assert by_network["sejuk"]["state"] == "CANCELLED"
    assert by_network["sejuk"]["networkStatus"] == "CANCELLED"
    assert network_rows(clean, "sejuk", by_network["sejuk"]["reference"]) == 1
    assert network_rows(clean, "tangerang", by_network["tangerang"]["reference"]) == 0


async def test_cancel_cancels_at_every_network_and_refuses_once_shipped(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    me = await buyer(federation)
    first = (
        await run(
            federation,
            PLACE,
            {"input": await order_input(federation, "sejuk", "padi", skip=3)},
            orders,
            who=me,
        )
    ).data["placeOrder"]
    cancelled = await run(federation, CANCEL, {"id": first["id"]}, orders, who=me)
    assert cancelled.data["cancelOrder"]["status"] == "CANCELLED"
    assert all(
        s["networkStatus"] == "CANCELLED" for s in cancelled.data["cancelOrder"]["subOrders"]
    )

    second = (
        await run(
            federation,
            PLACE,
            {"input": await order_input(federation, "sejuk", skip=4)},
            orders,
            who=me,
        )
    ).data["placeOrder"]
    native = second["subOrders"][0]["nativeId"]
    for _ in range(2):  # CREATED/CONFIRMED → SHIPPED
        await clean.admin("sejuk", "POST", f"/admin/pesanan/{native}/maju")
    refused = await run(federation, CANCEL, {"id": second["id"]}, orders, who=me)
    assert refused.errors[0].extensions == {"code": "CONFLICT"}
    assert "too late" in refused.errors[0].message


async def test_order_status_follows_the_networks(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    me = await buyer(federation)
    placed = (
        await run(
            federation,
            PLACE,
            {"input": await order_input(federation, "sejuk", skip=5)},
            orders,
            who=me,
        )
    ).data["placeOrder"]
    native = placed["subOrders"][0]["nativeId"]
    for _ in range(3):
        await clean.admin("sejuk", "POST", f"/admin/pesanan/{native}/maju")
    await orders.worker.track()
    order = (await run(federation, ORDER, {"id": placed["id"]}, orders, who=me)).data["order"]
    assert order["subOrders"][0]["networkStatus"] == "DELIVERED"
    assert order["status"] == "DELIVERED"


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        (lambda o: o.update(lines=[]), "BAD_USER_INPUT", "at least one line"),
        (lambda o: o["lines"][0].update(quantity=0), "BAD_USER_INPUT", "must be above zero"),
        (lambda o: o["lines"][0].update(quantity=-3), "BAD_USER_INPUT", "must be above zero"),
        (lambda o: o["lines"][0].update(quantity=10**6), "BAD_USER_INPUT", "in stock"),
        (lambda o: o["lines"].append(dict(o["lines"][0])), "BAD_USER_INPUT", "appears twice"),
        (
            lambda o: o["lines"][0].update(productId="UHJvZHVjdDpzZWp1azo5OTk5OTk5"),
            "NOT_FOUND",
            "does not exist",
        ),
        (
            lambda o: o.update(buyerId="Q29vcGVyYXRpdmU6c2VqdWs6OTk5OTk5"),
            "NOT_FOUND",
            "not a cooperative",
        ),
        (lambda o: o.update(deliveryRegionCode="Bandung"), "BAD_USER_INPUT", "Kemendagri"),
        (lambda o: o.update(idempotencyKey=""), "BAD_USER_INPUT", "idempotencyKey"),
    ],
)
async def test_bad_orders_write_nothing_and_place_nothing(
    federation: Federation,
    orders: OrderService,
    clean: LiveNetworks,
    change: Any,
    code: str,
    says: str,
) -> None:
    order_in = await order_input(federation, "sejuk", "tangerang", skip=6)
    change(order_in)
    before = {c: network_rows(clean, c) for c in NETWORK_ORDERS}
    hub_before = await orders.store.page(buyer_id=None, status=None, first=1000, after=None)

    result = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])

    assert result.errors is not None
    assert result.errors[0].extensions == {"code": code}, result.errors
    assert says in result.errors[0].message
    assert {c: network_rows(clean, c) for c in NETWORK_ORDERS} == before
    hub_after = await orders.store.page(buyer_id=None, status=None, first=1000, after=None)
    assert len(hub_after) == len(hub_before)


async def test_a_price_above_the_one_shown_is_refused_with_the_new_price(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "sejuk", "tangerang", skip=7)
    order_in["lines"][1]["expectedUnitPrice"] = 1  # the buyer was shown 1 rupiah
    before = {c: network_rows(clean, c) for c in NETWORK_ORDERS}

    refused = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])

    assert refused.errors is not None
    extensions = refused.errors[0].extensions or {}
    assert extensions["code"] == "CONFLICT"
    assert extensions["productId"] == order_in["lines"][1]["productId"]
    assert extensions["unitPrice"] > 1
    assert "order again to accept the new price" in refused.errors[0].message
    assert {c: network_rows(clean, c) for c in NETWORK_ORDERS} == before
    # The buyer accepts the new price: the same key now places the order at it.
    order_in["lines"][1]["expectedUnitPrice"] = extensions["unitPrice"]
    placed = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    assert placed.errors is None, placed.errors
    lines = placed.data["placeOrder"]["lines"]
    assert lines[1]["unitPrice"]["amount"] == extensions["unitPrice"]


async def test_a_key_reused_for_another_order_is_a_conflict(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "padi", skip=7)
    assert (
        await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    ).errors is None
    order_in["lines"][0]["quantity"] += 1
    result = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    assert result.errors[0].extensions == {"code": "CONFLICT"}


async def test_a_sub_order_landing_after_the_hub_gave_up_is_cancelled(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "sejuk", "tangerang", skip=8)
    await clean.set_faults("tangerang", down="503", paths=["/v2/orders"])
    placing = (
        await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    ).data["placeOrder"]
    await clean.clear_faults()
    failed = await settle(federation, orders, placing["id"])
    assert failed["status"] == "FAILED"
    late = next(s for s in failed["subOrders"] if s["network"]["code"] == "tangerang")
    assert late["state"] == "CANCELLED"

    # The network processes the abandoned request after all.
    stored = await orders.store.load(failed_id(placing["id"]))
    assert stored is not None
    line = next(line for line in stored.lines if line.network == "tangerang")
    tangerang = federation.by_code["tangerang"]
    landed = await tangerang.place_order(
        OrderRequest(
            reference=late["reference"],
            buyer=Buyer(stored.buyer_name, stored.buyer_id, stored.buyer_network, "32.73"),
            lines=(OrderLineRequest(line.product_id, line.quantity),),
        )
    )
    await orders.worker.track()

    found = await tangerang.find_order(late["reference"])
    assert found is not None
    assert found.id == landed.id
    assert found.status is OrderStatus.CANCELLED
    after = await orders.store.load(stored.id)
    assert after is not None
    events = [e.kind for e in after.events]
    assert "LATE_SUB_ORDER_CANCELLED" in events


def failed_id(global_id: str) -> str:
    """The hub's own order id inside an Order's global ID."""
    return from_global_id(global_id)[1][0]
