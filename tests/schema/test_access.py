"""Scopes per root field and tenant isolation: no path returns what a token may not see."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import strawberry

from federation.hub import Federation
from federation.orders.service import OrderService
from resolvers.context import Context, Services
from resolvers.ids import to_global_id
from resolvers.principal import Principal
from schema.errors import code_for
from tests.schema.conftest import SCHEMA, run
from tests.schema.test_orders import CANCEL, PLACE, orderable, settle
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

ALL = frozenset({"catalog:read", "orders:read", "orders:write"})
PRODUCT = to_global_id("Product", "sejuk", "P-1")
ORDER = to_global_id("Order", "no-such-order")
COOPERATIVE = to_global_id("Cooperative", "sejuk", "K-001")
INPUT = {
    "buyerId": COOPERATIVE,
    "lines": [{"productId": PRODUCT, "quantity": 1}],
    "deliveryRegionCode": "32.73",
    "idempotencyKey": "never-placed",
}

# (operation, variables, the scope it needs)
GUARDED: list[tuple[str, dict[str, Any], str]] = [
    ("{ search(first: 1) { edges { node { id } } } }", {}, "catalog:read"),
    ("{ suppliers(first: 1) { edges { node { id } } } }", {}, "catalog:read"),
    ("{ cooperatives(first: 1) { edges { node { id } } } }", {}, "catalog:read"),
    ("{ networks { code } }", {}, "catalog:read"),
    ("query($id: ID!) { node(id: $id) { id } }", {"id": PRODUCT}, "catalog:read"),
    ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [PRODUCT]}, "catalog:read"),
    ("query($id: ID!) { order(id: $id) { id } }", {"id": ORDER}, "orders:read"),
    ("{ orders { edges { node { id } } } }", {}, "orders:read"),
    ("query($id: ID!) { node(id: $id) { id } }", {"id": ORDER}, "orders:read"),
    ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [PRODUCT, ORDER]}, "orders:read"),
    (
        "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }",
        {"input": INPUT},
        "orders:write",
    ),
    ("mutation($id: ID!) { cancelOrder(id: $id) { id } }", {"id": ORDER}, "orders:write"),
]
SUBSCRIPTIONS: list[tuple[str, dict[str, Any]]] = [
    ("subscription($id: ID!) { orderUpdates(orderId: $id) { id } }", {"id": ORDER}),
    ("subscription($id: ID!) { transactions(cooperativeId: $id) { id } }", {"id": COOPERATIVE}),
]


def principal(org: str | None, scopes: frozenset[str] = ALL) -> Principal:
    return Principal(client_id=f"client-{org}", organization=org, scopes=scopes, issuer="test")


async def run_as(
    who: Principal | None,
    federation: Federation,
    query: str,
    variables: dict[str, Any] | None = None,
    orders: OrderService | None = None,
) -> strawberry.types.ExecutionResult:
    """Execute ``query`` for ``who`` (anonymous when None), as the HTTP endpoint would."""
    context = Context(federation, services=Services(orders=orders), principal=who)
    return await SCHEMA.execute(query, variable_values=variables, context_value=context)


async def first_event(
    who: Principal,
    federation: Federation,
    query: str,
    variables: dict[str, Any],
    orders: OrderService,
) -> strawberry.types.ExecutionResult:
    """The first result a subscription yields (or its refusal)."""
    context = Context(federation, services=Services(orders=orders), principal=who)
    stream = await SCHEMA.subscribe(query, variable_values=variables, context_value=context)
    if isinstance(stream, strawberry.types.ExecutionResult):
        return stream
    try:
        return await anext(stream)
    finally:
        await stream.aclose()


def codes(result: strawberry.types.ExecutionResult) -> list[str]:
    """Each error's code (subscriptions' errors mapped the way ``schema.errors`` maps them)."""
    return [(e.extensions or {}).get("code") or code_for(e) for e in result.errors or ()]


async def cooperatives(federation: Federation) -> tuple[str, str]:
    """Two cooperatives of sejuk: two organisations."""
    query = '{ cooperatives(first: 2, filter: {networks: ["sejuk"]}) { edges { node { id } } } }'
    result = await run(federation, query)  # the catalogue: anonymous requests read it
    first, second = (e["node"]["id"] for e in result.data["cooperatives"]["edges"])
    return str(first), str(second)


async def place_for(
    who: Principal | None, federation: Federation, orders: OrderService, buyer: str, skip: int
) -> strawberry.types.ExecutionResult:
    product = await orderable(federation, "sejuk", skip)
    order_in = {
        "buyerId": buyer,
        "lines": [{"productId": product["id"], "quantity": product["minOrder"]}],
        "deliveryRegionCode": "32.73",
        "idempotencyKey": f"access-{uuid.uuid4()}",
    }
    return await run_as(who, federation, PLACE, {"input": order_in}, orders)


@pytest.mark.parametrize(("query", "variables", "scope"), GUARDED)
async def test_each_missing_scope_is_forbidden_and_returns_no_data(
    federation: Federation,
    orders: OrderService,
    clean: LiveNetworks,
    query: str,
    variables: dict[str, Any],
    scope: str,
) -> None:
    result = await run_as(
        principal(COOPERATIVE, ALL - {scope}), federation, query, variables, orders
    )
    assert not any((result.data or {}).values())
    assert codes(result) == ["FORBIDDEN"]
    assert scope in result.errors[0].message
    assert all(n == 0 for n in (await clean.request_counts()).values())


@pytest.mark.parametrize(("query", "variables"), SUBSCRIPTIONS)
async def test_subscriptions_without_orders_read_are_forbidden(
    federation: Federation, orders: OrderService, query: str, variables: dict[str, Any]
) -> None:
    result = await first_event(
        principal(COOPERATIVE, ALL - {"orders:read"}), federation, query, variables, orders
    )
    assert result.data is None
    assert codes(result) == ["FORBIDDEN"]


async def test_one_organisation_never_reaches_anothers_order(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    mine, theirs = await cooperatives(federation)
    me, them = principal(mine), principal(theirs)
    placed = await place_for(them, federation, orders, theirs, skip=6)
    assert placed.errors is None, placed.errors
    their_order = placed.data["placeOrder"]["id"]
    await settle(federation, orders, their_order)
    # The owner sees it by every path.
    owner = await run_as(
        them, federation, "query($id: ID!) { order(id: $id) { id } }", {"id": their_order}, orders
    )
    assert owner.data == {"order": {"id": their_order}}

    by_order = await run_as(
        me,
        federation,
        "query($id: ID!) { order(id: $id) { id status } }",
        {"id": their_order},
        orders,
    )
    assert by_order.errors is None
    assert by_order.data == {"order": None}
    by_node = await run_as(
        me, federation, "query($id: ID!) { node(id: $id) { id } }", {"id": their_order}, orders
    )
    assert by_node.errors is None
    assert by_node.data == {"node": None}
    by_nodes = await run_as(
        me,
        federation,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [their_order, their_order]},
        orders,
    )
    assert by_nodes.errors is None
    assert by_nodes.data == {"nodes": [None, None]}
    listed = await run_as(
        me, federation, "{ orders(first: 100) { edges { node { id } } } }", None, orders
    )
    assert listed.errors is None
    assert their_order not in str(listed.data)
    filtered = await run_as(
        me,
        federation,
        "query($b: ID) { orders(filter: {buyerId: $b}) { edges { node { id } } } }",
        {"b": theirs},
        orders,
    )
    assert filtered.data is None
    assert codes(filtered) == ["FORBIDDEN"]
    # Changing or following it reads exactly like an order that does not exist.
    cancelled = await run_as(me, federation, CANCEL, {"id": their_order}, orders)
    missing = await run_as(me, federation, CANCEL, {"id": ORDER}, orders)
    assert cancelled.data is None
    assert codes(cancelled) == codes(missing) == ["NOT_FOUND"]
    watched = await first_event(
        me,
        federation,
        "subscription($id: ID!) { orderUpdates(orderId: $id) { id } }",
        {"id": their_order},
        orders,
    )
    assert watched.data is None
    assert codes(watched) == ["NOT_FOUND"]
    followed = await first_event(
        me,
        federation,
        "subscription($id: ID!) { transactions(cooperativeId: $id) { id } }",
        {"id": theirs},
        orders,
    )
    assert followed.data is None
    assert codes(followed) == ["FORBIDDEN"]
    still = await run_as(
        them,
        federation,
        "query($id: ID!) { order(id: $id) { status } }",
        {"id": their_order},
        orders,
    )
    assert still.data["order"]["status"] != "CANCELLED"


async def test_orders_lists_only_the_principals_own(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    mine, theirs = await cooperatives(federation)
    own = await place_for(principal(mine), federation, orders, mine, skip=7)
    other = await place_for(principal(theirs), federation, orders, theirs, skip=8)
    own_id, other_id = own.data["placeOrder"]["id"], other.data["placeOrder"]["id"]
    query = "query($b: ID) { orders(first: 100, filter: {buyerId: $b}) { edges { node { id } } } }"
    for buyer in (None, mine):
        listed = await run_as(principal(mine), federation, query, {"b": buyer}, orders)
        ids = {e["node"]["id"] for e in listed.data["orders"]["edges"]}
        assert own_id in ids
        assert other_id not in ids
    theirs_listed = await run_as(principal(theirs), federation, query, {"b": None}, orders)
    assert other_id in {e["node"]["id"] for e in theirs_listed.data["orders"]["edges"]}
    anonymous = await run_as(None, federation, query, {"b": None}, orders)
    assert anonymous.data is None
    assert codes(anonymous) == ["UNAUTHENTICATED"]


async def test_place_order_for_another_buyer_is_forbidden_and_writes_nothing(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    mine, theirs = await cooperatives(federation)
    listing = "{ orders(first: 100) { edges { node { id } } } }"
    before = await run_as(principal(theirs), federation, listing, None, orders)
    result = await place_for(principal(mine), federation, orders, theirs, skip=9)
    assert result.data is None
    assert codes(result) == ["FORBIDDEN"]
    after = await run_as(principal(theirs), federation, listing, None, orders)
    assert after.data == before.data
    # No principal bound to an organisation: no orders to own.
    orphan = await place_for(principal(None), federation, orders, mine, skip=9)
    assert orphan.data is None
    assert codes(orphan) == ["FORBIDDEN"]


async def test_two_organisations_equal_idempotency_keys_never_meet(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    mine, theirs = await cooperatives(federation)
    product = await orderable(federation, "sejuk", 10)
    key = f"shared-{uuid.uuid4()}"

    def order_in(buyer: str, quantity: int) -> dict[str, Any]:
        return {
            "input": {
                "buyerId": buyer,
                "lines": [{"productId": product["id"], "quantity": quantity}],
                "deliveryRegionCode": "32.73",
                "idempotencyKey": key,
            }
        }

    theirs_placed = await run_as(
        principal(theirs), federation, PLACE, order_in(theirs, product["minOrder"]), orders
    )
    assert theirs_placed.errors is None, theirs_placed.errors
    # Another organisation's equal key (for another order, even) is a key of its own.
    mine_placed = await run_as(
        principal(mine), federation, PLACE, order_in(mine, product["minOrder"] + 1), orders
    )
    assert mine_placed.errors is None, mine_placed.errors
    their_id = theirs_placed.data["placeOrder"]["id"]
    my_id = mine_placed.data["placeOrder"]["id"]
    assert my_id != their_id
    # Each retry still finds its own order; a changed request under one's own key conflicts.
    retried = await run_as(
        principal(theirs), federation, PLACE, order_in(theirs, product["minOrder"]), orders
    )
    assert retried.data["placeOrder"]["id"] == their_id
    changed = await run_as(
        principal(mine), federation, PLACE, order_in(mine, product["minOrder"]), orders
    )
    assert codes(changed) == ["CONFLICT"]


async def test_anonymous_requests_read_the_catalogue_and_nothing_of_an_organisation(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    mine, _ = await cooperatives(federation)
    placed = await place_for(principal(mine), federation, orders, mine, skip=11)
    order_id = placed.data["placeOrder"]["id"]
    catalogue = await run_as(
        None, federation, "{ networks { code } search(first: 1) { edges { node { id } } } }"
    )
    assert catalogue.errors is None
    assert [n["code"] for n in catalogue.data["networks"]] == ["sejuk", "tangerang", "padi"]
    for query, variables in [
        ("{ orders { edges { cursor } } }", None),
        ("query($id: ID!) { order(id: $id) { id } }", {"id": order_id}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": order_id}),
        ("mutation($id: ID!) { cancelOrder(id: $id) { id } }", {"id": order_id}),
    ]:
        result = await run_as(None, federation, query, variables, orders)
        assert result.data is None or not any(result.data.values())
        assert codes(result) == ["UNAUTHENTICATED"]
    anonymous_place = await place_for(None, federation, orders, mine, skip=11)
    assert codes(anonymous_place) == ["UNAUTHENTICATED"]
