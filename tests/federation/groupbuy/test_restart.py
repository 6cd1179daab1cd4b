"""Closing at the closing time, by a closer that survives restarts and never closes twice.

A "restart" is a new hub (its own engine, services and closer) on the same database file
after the first one is gone; a "crash" is a closer that took its lease, wrote what it
wrote, and never came back. Closing times and leases run out when the test moves the
clock.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from federation.groupbuy.closing import order_request
from federation.groupbuy.model import GroupBuy, GroupBuyState
from federation.groupbuy.worker import running
from federation.hub import Federation
from federation.orders.model import OrderState
from tests.federation.groupbuy.support import (
    HOUR,
    Cast,
    Clock,
    Hub,
    hub_over,
    join,
    open_on,
    sejuk_product,
    sqlite_url,
)
from tests.schema.test_orders import network_rows
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

LEASE = 30.0
MAX_POLLS = 200  # bound on waiting for a running closer: far above what a passing run needs


async def test_a_due_group_buy_is_closed_by_the_next_hub_after_a_restart(
    hub: Hub, federation: Federation, networks: LiveNetworks, cast: Cast, tmp_path: Path
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0], closes_in=HOUR)
    await join(hub, opened, cast.partners[0], 5)
    await join(hub, opened, cast.tangerang[0], 7)
    await hub.engine.dispose()  # the first hub is gone before the closing time

    later = Clock()
    async with hub_over(federation, sqlite_url(tmp_path), later, migrate=False) as restarted:
        assert await restarted.groupbuys.worker.drain() == 0  # not due yet
        later.advance(HOUR)
        async with running(restarted.groupbuys.worker):
            closed = await until_final(restarted, opened)

        assert closed.status is GroupBuyState.CLOSED
        assert closed.order_id is not None
        order = await restarted.orders.get(closed.order_id)
        assert order.status is OrderState.CONFIRMED
        assert network_rows(networks, "sejuk", order.sub_orders[0].reference) == 1
        assert [(a.key, a.quantity, a.amount) for a in closed.allocations] == [
            (cast.partners[0], 5, 5 * 9_700),
            (cast.tangerang[0], 7, 7 * 9_700),
        ]
        assert sum(a.amount for a in closed.allocations) == order.total


async def test_a_due_group_buy_below_the_minimum_order_fails_without_an_order(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    short = await open_on(hub, await sejuk_product(networks, min_order=20), cast.partners[0])
    await join(hub, short, cast.tangerang[0], 8)
    empty = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    before = network_rows(networks, "sejuk")
    hub.clock.advance(HOUR)

    assert await hub.groupbuys.worker.drain() == 2

    failed = await hub.groupbuys.get(short.id)
    assert failed.status is GroupBuyState.FAILED
    assert failed.failure_reason is not None
    assert "minimum order of 20" in failed.failure_reason
    assert failed.order_id is None
    assert [(a.key, a.quantity, a.charged) for a in failed.allocations] == [
        (cast.tangerang[0], 8, False)
    ]
    nobody = await hub.groupbuys.get(empty.id)
    assert nobody.status is GroupBuyState.FAILED
    assert "nobody has joined" in (nobody.failure_reason or "")
    assert network_rows(networks, "sejuk") == before
    assert await hub.groupbuys.worker.drain() == 0  # ended: nothing more to do


async def test_a_due_group_buy_whose_stock_ran_out_fails_without_charging_anyone(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks, stock=50)
    opened = await open_on(hub, product, cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 30)
    await sejuk_product(networks, stock=10, product_id=product[1])
    hub.clock.advance(HOUR)

    await hub.groupbuys.worker.drain()

    failed = await hub.groupbuys.get(opened.id)
    assert failed.status is GroupBuyState.FAILED
    assert "could not be placed" in (failed.failure_reason or "")
    assert "only 10" in (failed.failure_reason or "")
    assert all(not a.charged and a.amount == 0 for a in failed.allocations)


async def test_a_due_group_buy_waits_out_an_unreachable_network_then_closes(
    hub: Hub, clean: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(clean), cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 10)
    await clean.set_faults("sejuk", down="503")
    hub.clock.advance(HOUR)

    assert await hub.groupbuys.worker.drain() == 1

    waiting = await hub.groupbuys.get(opened.id)
    assert waiting.status is GroupBuyState.CLOSING
    assert waiting.order_id is None
    assert "waiting for a network" in (waiting.last_error or "")
    await clean.clear_faults()
    assert await hub.groupbuys.worker.drain() == 1
    closed = await hub.groupbuys.get(opened.id)
    assert closed.status is GroupBuyState.CLOSED
    assert closed.last_error is None
    assert [(a.quantity, a.amount) for a in closed.allocations] == [(10, 10 * 9_700)]


async def test_a_closer_that_died_mid_close_is_replaced_once_its_lease_runs_out(
    hub: Hub, federation: Federation, networks: LiveNetworks, cast: Cast, tmp_path: Path
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 11)
    hub.clock.advance(HOUR)
    # The closer claims it and marks it CLOSING, then dies before placing anything.
    assert await hub.groupbuys.worker.leases.claim("dead-closer", LEASE) == [opened.id]
    await hub.groupbuys.store.begin_closing(opened.id, "dead-closer", LEASE)
    await hub.engine.dispose()

    later = Clock()
    later.now = hub.clock.now
    async with hub_over(federation, sqlite_url(tmp_path), later, migrate=False) as restarted:
        assert await restarted.groupbuys.worker.drain() == 0  # the lease still holds
        assert (await restarted.groupbuys.get(opened.id)).status is GroupBuyState.CLOSING
        later.advance(LEASE + 1)
        assert await restarted.groupbuys.worker.drain() == 1
        closed = await restarted.groupbuys.get(opened.id)
        assert closed.status is GroupBuyState.CLOSED
        assert closed.order_id is not None
        order = await restarted.orders.get(closed.order_id)
        assert network_rows(networks, "sejuk", order.sub_orders[0].reference) == 1


async def test_a_close_that_crashed_after_placing_its_order_finds_that_same_order(
    hub: Hub, federation: Federation, networks: LiveNetworks, cast: Cast, tmp_path: Path
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 11)
    await join(hub, opened, cast.tangerang[1], 4)
    await hub.groupbuys.store.begin_closing(opened.id, "dead-closer", LEASE)
    closing = await hub.groupbuys.get(opened.id)
    # The order went through, then the closer died before writing down which order it was.
    placed = await hub.orders.place(hub.loaders(), order_request(closing))
    assert placed.status is OrderState.CONFIRMED
    assert (await hub.groupbuys.get(opened.id)).order_id is None
    sejuk_orders = network_rows(networks, "sejuk")
    await hub.engine.dispose()

    later = Clock()
    later.now = hub.clock.now + LEASE + 1
    async with hub_over(federation, sqlite_url(tmp_path), later, migrate=False) as restarted:
        assert await restarted.groupbuys.worker.drain() == 1
        closed = await restarted.groupbuys.get(opened.id)
    assert closed.status is GroupBuyState.CLOSED
    assert closed.order_id == placed.id
    assert network_rows(networks, "sejuk") == sejuk_orders
    assert network_rows(networks, "sejuk", placed.sub_orders[0].reference) == 1
    assert sum(a.amount for a in closed.allocations) == placed.total


async def test_two_hubs_draining_at_the_same_moment_close_a_group_buy_once(
    hub: Hub, federation: Federation, networks: LiveNetworks, cast: Cast, tmp_path: Path
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 9)
    hub.clock.advance(HOUR)
    sejuk_orders = network_rows(networks, "sejuk")
    async with hub_over(federation, sqlite_url(tmp_path), hub.clock, migrate=False) as replica:
        claimed = await asyncio.gather(
            hub.groupbuys.worker.drain(), replica.groupbuys.worker.drain()
        )
    assert sorted(claimed) == [0, 1]
    closed = await hub.groupbuys.get(opened.id)
    assert closed.status is GroupBuyState.CLOSED
    assert network_rows(networks, "sejuk") == sejuk_orders + 1


async def until_final(hub: Hub, group_buy: GroupBuy) -> GroupBuy:
    """The group buy once a running closer has ended it (bounded by MAX_POLLS)."""
    for _ in range(MAX_POLLS):
        found = await hub.groupbuys.get(group_buy.id)
        if found.status.final:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"group buy {group_buy.id} was not closed by the running closer")
