"""Closing by the coordinator: one aggregate order at the supplier's network, shared out.

The cross-network case is the one the issue asks for: a SEJUK supplier's product with
harga grosir tiers, participants from SEJUK and Tangerang, one order at SEJUK, and
allocations that add up to what SEJUK charged.
"""

from __future__ import annotations

import asyncio

import pytest

from federation.errors import ConflictError, ForbiddenError, PriceChangedError
from federation.groupbuy.closing import order_key
from federation.groupbuy.model import GroupBuy, GroupBuyState
from federation.orders.model import OrderState
from tests.federation.groupbuy.support import (
    HOUR,
    Cast,
    Hub,
    join,
    label,
    open_on,
    sejuk_product,
)
from tests.schema.test_orders import network_rows
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEJUK_ORDERS = "/api/v1/pesanan"
MAX_PASSES = 100  # bound on waiting for workers: far above what a passing run needs


async def test_a_cross_network_group_buy_closes_into_one_order_at_the_suppliers_network(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks, price=10_000, stock=1_000)
    opened = await open_on(hub, product, cast.partners[0], target=50)
    await join(hub, opened, cast.partners[0], 6)
    await join(hub, opened, cast.tangerang[0], 20)
    await join(hub, opened, cast.tangerang[1], 30)
    sejuk_orders = network_rows(networks, "sejuk")

    closed = await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])

    assert closed.status is GroupBuyState.CLOSED
    assert closed.failure_reason is None
    assert closed.order_id is not None
    order = await hub.orders.get(closed.order_id)
    assert order.status is OrderState.CONFIRMED
    assert order.idempotency_key == order_key(opened.id)
    assert order.buyer_id == label(cast.partners[0])
    assert order.delivery_region_code == opened.delivery_region_code
    assert [(line.network, line.product_id, line.quantity) for line in order.lines] == [
        ("sejuk", product[1], 56)
    ]
    assert [sub.network for sub in order.sub_orders] == ["sejuk"]
    assert network_rows(networks, "sejuk") == sejuk_orders + 1
    assert network_rows(networks, "sejuk", order.sub_orders[0].reference) == 1
    assert network_rows(networks, "tangerang", order.sub_orders[0].reference) == 0

    # 56 units reach the 50-unit tier: every participant pays 9,400 a unit.
    assert order.total == 56 * 9_400
    shares = {a.key: (a.quantity, a.unit_price, a.amount) for a in closed.allocations}
    assert shares == {
        cast.partners[0]: (6, 9_400, 6 * 9_400),
        cast.tangerang[0]: (20, 9_400, 20 * 9_400),
        cast.tangerang[1]: (30, 9_400, 30 * 9_400),
    }
    assert sum(a.amount for a in closed.allocations) == order.total
    assert all(a.charged for a in closed.allocations)
    assert {a.network for a in closed.allocations} == {"sejuk", "tangerang"}
    # The supplier's stock went down by the aggregate order, once.
    live = await hub.loaders().products.load(product)
    assert live is not None
    assert live.stock == 1_000 - 56

    with pytest.raises(ConflictError, match="CLOSED"):
        await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])
    assert network_rows(networks, "sejuk") == sejuk_orders + 1


async def test_only_the_coordinator_can_close(hub: Hub, networks: LiveNetworks, cast: Cast) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    joined = await join(hub, opened, cast.partners[1], 5)
    for somebody in (cast.partners[1], cast.tangerang[0]):
        with pytest.raises(ForbiddenError, match="only the coordinator"):
            await hub.groupbuys.close(hub.loaders(), opened.id, somebody)
    await assert_still_open(hub, joined)


async def test_closing_below_the_minimum_order_or_with_nobody_places_nothing(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks, min_order=20), cast.partners[0])
    before = network_rows(networks, "sejuk")
    with pytest.raises(ConflictError, match="nobody has joined"):
        await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 7)
    joined = await join(hub, opened, cast.tangerang[1], 5)
    with pytest.raises(ConflictError, match="minimum order of 20"):
        await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])
    await assert_still_open(hub, joined)
    assert network_rows(networks, "sejuk") == before


async def test_closing_more_than_the_stock_left_now_places_nothing(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks, stock=40)
    opened = await open_on(hub, product, cast.partners[0])
    joined = await join(hub, opened, cast.tangerang[0], 25)
    await sejuk_product(networks, stock=10, product_id=product[1])  # sold elsewhere meanwhile
    with pytest.raises(ConflictError, match="only 10 in stock"):
        await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])
    await assert_still_open(hub, joined)


async def test_a_failed_aggregate_order_fails_the_group_buy_and_charges_nobody(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(clean), cast.partners[0])
    await join(hub, opened, cast.partners[0], 4)
    await join(hub, opened, cast.tangerang[0], 6)
    await clean.set_faults("sejuk", down="503", paths=[SEJUK_ORDERS])

    closing = await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])

    # SEJUK cannot even say whether it took the order: in flight, not yet failed.
    assert closing.status is GroupBuyState.CLOSING
    assert closing.order_id is not None
    assert (await hub.orders.get(closing.order_id)).status is OrderState.COMPENSATING
    assert closing.allocations == ()
    await clean.clear_faults()
    ended = await settle(hub, opened)

    assert ended.status is GroupBuyState.FAILED
    assert ended.failure_reason is not None
    assert "aggregate order failed" in ended.failure_reason
    assert "sejuk could not be reached" in ended.failure_reason
    assert (await hub.orders.get(closing.order_id)).status is OrderState.FAILED
    assert [(a.key, a.quantity, a.amount, a.charged) for a in ended.allocations] == [
        (cast.partners[0], 4, 0, False),
        (cast.tangerang[0], 6, 0, False),
    ]
    reference = (await hub.orders.get(closing.order_id)).sub_orders[0].reference
    assert network_rows(clean, "sejuk", reference) == 0


async def test_watching_yields_the_group_buy_at_every_change_until_it_ends(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    watching = hub.groupbuys.watch(opened.id, poll=0.05)
    first = await anext(watching)
    assert (first.status, first.total_quantity) == (GroupBuyState.OPEN, 0)
    await join(hub, opened, cast.tangerang[0], 12)
    second = await anext(watching)
    assert (second.total_quantity, second.quote.unit_price) == (12, 9_700)
    await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])
    last = await anext(watching)
    assert last.status is GroupBuyState.CLOSED
    with pytest.raises(StopAsyncIteration):
        await anext(watching)


async def assert_still_open(hub: Hub, before: GroupBuy) -> None:
    now = await hub.groupbuys.get(before.id)
    assert now.status is GroupBuyState.OPEN
    assert now.version == before.version
    assert now.order_id is None


async def settle(hub: Hub, group_buy: GroupBuy) -> GroupBuy:
    """The group buy once both workers are done with it (bounded by MAX_PASSES)."""
    for _ in range(MAX_PASSES):
        await hub.orders.worker.drain()
        await hub.groupbuys.worker.drain()
        found = await hub.groupbuys.get(group_buy.id)
        if found.status.final:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"group buy {group_buy.id} did not settle")


async def test_a_price_rise_at_the_network_is_refused_and_nobody_pays_it(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks, price=10_000)  # 9,700 from 10
    opened = await open_on(hub, product, cast.partners[0])
    await join(hub, opened, cast.partners[0], 6)
    await join(hub, opened, cast.tangerang[0], 6)
    # The supplier raises its prices after the participants committed at 9,700.
    await sejuk_product(networks, price=11_000, tiers=((10, 10_500),), product_id=product[1])
    sejuk_orders = network_rows(networks, "sejuk")

    with pytest.raises(PriceChangedError, match=r"Rp10\.500") as refused:
        await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])
    assert refused.value.unit_price == 10_500
    assert (await hub.groupbuys.get(opened.id)).status is GroupBuyState.OPEN

    hub.clock.advance(2 * HOUR)  # past the closing time: the closer tries, and refuses too
    await hub.groupbuys.worker.drain()
    ended = await hub.groupbuys.get(opened.id)
    assert ended.status is GroupBuyState.FAILED
    assert "Rp10.500" in (ended.failure_reason or "")
    assert not any(a.charged for a in ended.allocations)
    assert network_rows(networks, "sejuk") == sejuk_orders
