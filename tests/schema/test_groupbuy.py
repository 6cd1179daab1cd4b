"""Group buys through the graph: tier prices, a cross-network close, who sees what, rules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import strawberry

from federation.groupbuy.model import Key
from federation.hub import Federation
from resolvers.context import Context, Services
from resolvers.ids import to_global_id
from resolvers.principal import Principal
from tests.federation.groupbuy.conftest import cast
from tests.federation.groupbuy.support import Cast, Clock, Hub, hub_over, sejuk_product, sqlite_url
from tests.schema.conftest import SCHEMA, clean, federation, networks
from tests.support.live import LiveNetworks

__all__ = ["cast", "clean", "federation", "networks"]

pytestmark = pytest.mark.asyncio(loop_scope="module")

WRITE = frozenset({"catalog:read", "orders:read", "groupbuy:write"})
FIELDS = """
  id status
  price { totalQuantity unitPrice { amount } nextTier { minQuantity unitPrice { amount } unitsNeeded } }
  participants { cooperativeId quantity amountNow { amount } }
  allocations { cooperativeId quantity unitPrice { amount } amount { amount } charged }
  order { id status total { amount } subOrders { network { code } } }
  targetQuantity targetReached failureReason
"""
OPEN = f"mutation O($input: OpenGroupBuyInput!) {{ openGroupBuy(input: $input) {{ {FIELDS} }} }}"
JOIN = f"mutation J($input: JoinGroupBuyInput!) {{ joinGroupBuy(input: $input) {{ {FIELDS} }} }}"
CLOSE = f"""mutation C($id: ID!, $coop: ID!) {{
  closeGroupBuy(id: $id, cooperativeId: $coop) {{ {FIELDS} }} }}"""
WITHDRAW = f"""mutation W($id: ID!, $coop: ID!) {{
  withdrawFromGroupBuy(groupBuyId: $id, cooperativeId: $coop) {{ {FIELDS} }} }}"""
READ = f"query R($id: ID!) {{ groupBuy(id: $id) {{ {FIELDS} }} }}"


def gid(key: Key) -> str:
    return to_global_id("Cooperative", *key)


@pytest_asyncio.fixture(loop_scope="module")
async def hub(federation: Federation, tmp_path: Path) -> AsyncIterator[Hub]:
    async with hub_over(federation, sqlite_url(tmp_path), Clock()) as made:
        yield made


async def execute(
    hub: Hub,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    who: Key | None = None,
    scopes: frozenset[str] = WRITE,
) -> strawberry.types.ExecutionResult:
    """``query`` for the cooperative ``who`` (a token of its own), or anonymously."""
    principal = None
    if who is not None:
        principal = Principal(f"client-{who[1]}", gid(who), scopes, "test")
    services = Services(orders=hub.orders, group_buys=hub.groupbuys)
    context = Context(hub.federation, services=services, principal=principal)
    return await SCHEMA.execute(query, variable_values=variables, context_value=context)


def data(result: strawberry.types.ExecutionResult) -> Any:
    assert result.errors is None, result.errors
    return result.data


def code(result: strawberry.types.ExecutionResult) -> str:
    assert result.errors, result.data
    return str(result.errors[0].extensions["code"])  # type: ignore[index]


def closes_in(hub: Hub, seconds: float = 3600) -> str:
    return datetime.fromtimestamp(hub.clock() + seconds, UTC).isoformat()


async def open_group_buy(hub: Hub, product: Key, coordinator: Key, **more: Any) -> dict[str, Any]:
    variables = {
        "input": {
            "coordinatorId": gid(coordinator),
            "productId": to_global_id("Product", *product),
            "closesAt": closes_in(hub),
            **more,
        }
    }
    return data(await execute(hub, OPEN, variables, who=coordinator))["openGroupBuy"]


async def join(hub: Hub, group_buy: dict[str, Any], who: Key, quantity: int) -> Any:
    variables = {
        "input": {"groupBuyId": group_buy["id"], "cooperativeId": gid(who), "quantity": quantity}
    }
    return await execute(hub, JOIN, variables, who=who)


async def test_the_price_follows_the_tiers_as_cooperatives_join(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean)  # 10,000; 9,700 from 10; 9,400 from 50
    coordinator, partner = cast.partners[0], cast.partners[1]
    opened = await open_group_buy(hub, product, coordinator, targetQuantity=50)
    assert opened["price"]["unitPrice"]["amount"] == 10_000
    assert opened["price"]["nextTier"] == {
        "minQuantity": 10,
        "unitPrice": {"amount": 9_700},
        "unitsNeeded": 10,
    }

    first = data(await join(hub, opened, coordinator, 6))["joinGroupBuy"]
    assert first["price"]["unitPrice"]["amount"] == 10_000
    assert first["price"]["nextTier"]["unitsNeeded"] == 4
    second = data(await join(hub, opened, partner, 6))["joinGroupBuy"]
    assert second["price"]["unitPrice"]["amount"] == 9_700
    assert second["price"]["nextTier"] == {
        "minQuantity": 50,
        "unitPrice": {"amount": 9_400},
        "unitsNeeded": 38,
    }
    # Each participant sees what it would pay now, at the tier the whole group reached.
    assert second["participants"] == [
        {"cooperativeId": gid(partner), "quantity": 6, "amountNow": {"amount": 6 * 9_700}}
    ]
    assert second["targetReached"] is False

    again = data(await join(hub, opened, partner, 44))["joinGroupBuy"]  # updates, not adds
    assert again["price"]["totalQuantity"] == 50
    assert again["price"]["unitPrice"]["amount"] == 9_400
    assert again["targetReached"] is True


async def test_a_cross_network_group_buy_closes_into_one_order_at_the_supplier(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean)
    coordinator, from_tangerang = cast.partners[0], cast.tangerang[0]
    opened = await open_group_buy(hub, product, coordinator)
    data(await join(hub, opened, coordinator, 8))
    data(await join(hub, opened, from_tangerang, 4))
    assert (
        code(
            await execute(
                hub, CLOSE, {"id": opened["id"], "coop": gid(from_tangerang)}, who=from_tangerang
            )
        )
        == "FORBIDDEN"
    )

    closed = data(
        await execute(hub, CLOSE, {"id": opened["id"], "coop": gid(coordinator)}, who=coordinator)
    )["closeGroupBuy"]

    assert closed["status"] == "CLOSED"
    order = closed["order"]
    assert order["status"] == "CONFIRMED"
    assert [s["network"]["code"] for s in order["subOrders"]] == ["sejuk"]
    allocations = {a["cooperativeId"]: a for a in closed["allocations"]}
    assert allocations[gid(coordinator)]["amount"]["amount"] == 8 * 9_700
    assert allocations[gid(from_tangerang)]["amount"]["amount"] == 4 * 9_700
    assert sum(a["amount"]["amount"] for a in allocations.values()) == order["total"]["amount"]
    # The participant from Tangerang sees its own share, not the others', nor the order.
    seen = data(await execute(hub, READ, {"id": opened["id"]}, who=from_tangerang))["groupBuy"]
    assert [a["cooperativeId"] for a in seen["allocations"]] == [gid(from_tangerang)]
    assert seen["order"] is None
    assert [p["cooperativeId"] for p in seen["participants"]] == [gid(from_tangerang)]
    # Closed: joining is refused and nothing changes.
    assert code(await join(hub, opened, cast.tangerang[1], 5)) == "CONFLICT"
    after = data(await execute(hub, READ, {"id": opened["id"]}, who=coordinator))["groupBuy"]
    assert after["price"]["totalQuantity"] == 12


async def test_every_rule_is_a_clear_error_and_writes_nothing(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean, stock=100)
    coordinator, outsider = cast.partners[0], cast.outsider
    opened = await open_group_buy(hub, product, coordinator, minQuantity=5, partnersOnly=True)

    assert code(await join(hub, opened, cast.partners[1], 3)) == "BAD_USER_INPUT"  # < minimum
    assert code(await join(hub, opened, cast.partners[1], 101)) == "BAD_USER_INPUT"  # > stock
    assert code(await join(hub, opened, outsider, 5)) == "FORBIDDEN"  # not a JUK partner
    acting_for_another = {
        "input": {"groupBuyId": opened["id"], "cooperativeId": gid(cast.partners[1]), "quantity": 5}
    }
    assert code(await execute(hub, JOIN, acting_for_another, who=outsider)) == "FORBIDDEN"
    no_scope = await execute(
        hub, JOIN, acting_for_another, who=cast.partners[1], scopes=frozenset({"catalog:read"})
    )
    assert code(no_scope) == "FORBIDDEN"
    assert "groupbuy:write" in no_scope.errors[0].message  # type: ignore[index]
    untimed = {
        "input": {
            "coordinatorId": gid(coordinator),
            "productId": to_global_id("Product", *product),
            "closesAt": "2026-12-01T10:00:00",
        }
    }
    assert code(await execute(hub, OPEN, untimed, who=coordinator)) == "BAD_USER_INPUT"

    unchanged = data(await execute(hub, READ, {"id": opened["id"]}, who=coordinator))["groupBuy"]
    assert unchanged["participants"] == []
    listed = data(await execute(hub, "{ groupBuys { edges { node { id } } } }"))
    assert [e["node"]["id"] for e in listed["groupBuys"]["edges"]] == [opened["id"]]


async def test_an_open_sent_again_with_its_idempotency_key_is_the_same_group_buy(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean)
    coordinator = cast.partners[0]
    first = await open_group_buy(hub, product, coordinator, idempotencyKey="rapat-2026-11/beras")
    again = await open_group_buy(hub, product, coordinator, idempotencyKey="rapat-2026-11/beras")
    assert again["id"] == first["id"]
    other = {
        "coordinatorId": gid(coordinator),
        "productId": to_global_id("Product", *product),
        "closesAt": closes_in(hub),
        "targetQuantity": 500,
        "idempotencyKey": "rapat-2026-11/beras",
    }
    refused = await execute(hub, OPEN, {"input": other}, who=coordinator)
    assert code(refused) == "CONFLICT"
    assert "different group buy" in refused.errors[0].message  # type: ignore[index]
    # Another coordinator's equal key is a key of its own: its own group buy.
    elsewhere = await open_group_buy(
        hub, product, cast.partners[1], idempotencyKey="rapat-2026-11/beras"
    )
    assert elsewhere["id"] != first["id"]


async def test_whose_group_buys_a_cooperative_joined_is_its_own_business(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean)
    coordinator, spy, joiner = cast.partners[0], cast.tangerang[0], cast.tangerang[1]
    opened = await open_group_buy(hub, product, coordinator)
    data(await join(hub, opened, joiner, 7))
    query = """query L($f: GroupBuyFilter) { groupBuys(filter: $f) { edges { node {
      id price { totalQuantity } participants { cooperativeId quantity } } } } }"""
    by_joiner = {"f": {"participantId": gid(joiner)}}

    spied = await execute(hub, query, by_joiner, who=spy)
    assert code(spied) == "FORBIDDEN"
    assert spied.data is None
    anonymous = await execute(hub, query, by_joiner)
    assert code(anonymous) == "UNAUTHENTICATED"
    assert anonymous.data is None
    own = data(await execute(hub, query, by_joiner, who=joiner))["groupBuys"]["edges"]
    assert [e["node"]["id"] for e in own] == [opened["id"]]
    assert own[0]["node"]["participants"] == [{"cooperativeId": gid(joiner), "quantity": 7}]
    # As an offer it stays readable by anyone; who joined it is not.
    for who in (None, spy):
        seen = data(await execute(hub, READ, {"id": opened["id"]}, who=who))["groupBuy"]
        assert seen["id"] == opened["id"]
        assert (seen["participants"], seen["allocations"], seen["order"]) == ([], [], None)
    listed = data(await execute(hub, query, {}, who=spy))["groupBuys"]["edges"]
    assert [e["node"]["participants"] for e in listed if e["node"]["id"] == opened["id"]] == [[]]
    everyone = data(await execute(hub, READ, {"id": opened["id"]}, who=coordinator))["groupBuy"]
    assert [p["cooperativeId"] for p in everyone["participants"]] == [gid(joiner)]


async def test_withdrawing_takes_the_quantity_out_of_the_price(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean)
    opened = await open_group_buy(hub, product, cast.partners[0])
    data(await join(hub, opened, cast.partners[0], 5))
    data(await join(hub, opened, cast.tangerang[0], 5))
    variables = {"id": opened["id"], "coop": gid(cast.tangerang[0])}
    left = data(await execute(hub, WITHDRAW, variables, who=cast.tangerang[0]))
    assert left["withdrawFromGroupBuy"]["price"]["totalQuantity"] == 5
    assert left["withdrawFromGroupBuy"]["price"]["unitPrice"]["amount"] == 10_000
    assert code(await execute(hub, WITHDRAW, variables, who=cast.tangerang[0])) == "NOT_FOUND"


async def test_group_buys_by_node_filter_and_page(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean)
    ids = []
    for coordinator in (cast.partners[0], cast.tangerang[0], cast.tangerang[1]):
        ids.append((await open_group_buy(hub, product, coordinator))["id"])
        hub.clock.advance(1)
    data(await join(hub, {"id": ids[0]}, cast.tangerang[2], 3))
    node = data(
        await execute(
            hub,
            "query N($ids: [ID!]!) { nodes(ids: $ids) { id ... on GroupBuy { coordinatorName } } }",
            {"ids": [ids[1], to_global_id("GroupBuy", "404")]},
        )
    )
    assert node["nodes"][0]["id"] == ids[1]
    assert node["nodes"][1] is None

    query = """query L($f: GroupBuyFilter, $after: String) {
      groupBuys(filter: $f, first: 2, after: $after) {
        edges { node { id } } pageInfo { hasNextPage endCursor } } }"""
    first = data(await execute(hub, query, {}))["groupBuys"]
    assert [e["node"]["id"] for e in first["edges"]] == [ids[2], ids[1]]  # newest first
    rest = data(await execute(hub, query, {"after": first["pageInfo"]["endCursor"]}))["groupBuys"]
    assert [e["node"]["id"] for e in rest["edges"]] == [ids[0]]
    assert rest["pageInfo"]["hasNextPage"] is False
    joined = data(
        await execute(
            hub, query, {"f": {"participantId": gid(cast.tangerang[2])}}, who=cast.tangerang[2]
        )
    )
    assert [e["node"]["id"] for e in joined["groupBuys"]["edges"]] == [ids[0]]
    bad = await execute(hub, query, {"after": "not-a-cursor"})
    assert code(bad) == "BAD_USER_INPUT"


async def test_group_buy_updates_follow_each_join(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(clean)
    opened = await open_group_buy(hub, product, cast.partners[0])
    context = Context(hub.federation, services=Services(hub.orders, hub.groupbuys))
    stream = await SCHEMA.subscribe(
        "subscription S($id: ID!) { groupBuyUpdates(groupBuyId: $id) { price { totalQuantity } } }",
        variable_values={"id": opened["id"]},
        context_value=context,
    )
    assert not isinstance(stream, strawberry.types.ExecutionResult)
    try:
        now = await anext(stream)
        assert now.data == {"groupBuyUpdates": {"price": {"totalQuantity": 0}}}
        data(await join(hub, opened, cast.tangerang[0], 7))
        changed = await anext(stream)
        assert changed.data == {"groupBuyUpdates": {"price": {"totalQuantity": 7}}}
    finally:
        await stream.aclose()
