"""Opening and joining group buys: the tier follows the total, and every rule refuses cleanly.

Every refusal is checked twice: the error class and message, and that nothing was written
(the group buy's version and participants are as they were).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from federation.errors import (
    ConflictError,
    ForbiddenError,
    HubError,
    InputError,
    NotFoundError,
)
from federation.groupbuy.model import GroupBuy, GroupBuyState
from federation.groupbuy.requests import GroupBuyFilter, OpenGroupBuyRequest
from tests.federation.groupbuy.support import (
    HOUR,
    Cast,
    Hub,
    join,
    label,
    open_on,
    sejuk_product,
)
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def assert_untouched(hub: Hub, before: GroupBuy) -> None:
    """Nothing was written to ``before`` since it was read."""
    now = await hub.groupbuys.get(before.id)
    assert now.version == before.version
    assert now.participants == before.participants
    assert now.status is before.status


async def test_the_tier_price_follows_the_total_as_participants_join(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks, price=10_000)
    opened = await open_on(hub, product, cast.partners[0], target=60)
    assert opened.status is GroupBuyState.OPEN
    assert opened.delivery_region_code  # the coordinator's region, where the order goes
    quote = opened.quote
    assert (quote.unit_price, quote.next_tier_quantity, quote.units_to_next_tier) == (
        10_000,
        10,
        10,
    )

    first = await join(hub, opened, cast.partners[0], 4)
    assert (first.quote.unit_price, first.quote.units_to_next_tier) == (10_000, 6)
    assert first.quote.next_tier_unit_price == 9_700

    second = await join(hub, opened, cast.tangerang[0], 8)
    assert second.total_quantity == 12
    assert second.quote.unit_price == 9_700
    assert (second.quote.next_tier_quantity, second.quote.units_to_next_tier) == (50, 38)
    mine = second.participant(cast.partners[0])
    assert mine is not None
    assert second.quote.amount_for(mine.quantity) == 4 * 9_700  # what it would pay now
    assert second.target_reached is False

    third = await join(hub, opened, cast.tangerang[1], 40)
    assert third.total_quantity == 52
    assert (third.quote.unit_price, third.quote.units_to_next_tier) == (9_400, 148)
    assert third.target_reached is False
    fourth = await join(hub, opened, cast.partners[1], 8)
    assert fourth.target_reached is True
    assert fourth.version > third.version > second.version


async def test_joining_twice_replaces_the_quantity_instead_of_adding_to_it(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 5)
    again = await join(hub, opened, cast.tangerang[0], 12)
    assert again.total_quantity == 12
    assert [p.quantity for p in again.participants] == [12]
    lower = await join(hub, opened, cast.tangerang[0], 3)
    assert lower.total_quantity == 3


async def test_withdrawing_takes_a_participant_out_and_only_a_participant(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 5)
    both = await join(hub, opened, cast.tangerang[1], 7)
    left = await hub.groupbuys.withdraw(opened.id, cast.tangerang[0])
    assert [p.key for p in left.participants] == [cast.tangerang[1]]
    assert left.total_quantity == 7
    with pytest.raises(NotFoundError, match="has not joined"):
        await hub.groupbuys.withdraw(opened.id, cast.tangerang[0])
    assert (await hub.groupbuys.get(opened.id)).version == left.version
    assert both.version < left.version


async def test_joining_or_withdrawing_after_the_closing_time_is_a_conflict(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    joined = await join(hub, opened, cast.tangerang[0], 5)
    hub.clock.advance(HOUR)
    with pytest.raises(ConflictError, match="closing time"):
        await join(hub, opened, cast.tangerang[1], 5)
    with pytest.raises(ConflictError, match="closing time"):
        await join(hub, opened, cast.tangerang[0], 9)
    with pytest.raises(ConflictError, match="closing time"):
        await hub.groupbuys.withdraw(opened.id, cast.tangerang[0])
    await assert_untouched(hub, joined)


async def test_joining_or_withdrawing_after_close_is_a_conflict(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    await join(hub, opened, cast.tangerang[0], 5)
    closed = await hub.groupbuys.close(hub.loaders(), opened.id, cast.partners[0])
    assert closed.status is GroupBuyState.CLOSED
    with pytest.raises(ConflictError, match="CLOSED"):
        await join(hub, opened, cast.tangerang[1], 5)
    with pytest.raises(ConflictError, match="CLOSED"):
        await hub.groupbuys.withdraw(opened.id, cast.tangerang[0])
    await assert_untouched(hub, closed)


async def test_a_quantity_beyond_the_suppliers_stock_is_refused(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks, stock=20), cast.partners[0])
    with pytest.raises(InputError, match="20 karung in stock"):
        await join(hub, opened, cast.tangerang[0], 21)
    first = await join(hub, opened, cast.tangerang[0], 15)
    with pytest.raises(InputError, match="at most 5 more"):
        await join(hub, opened, cast.tangerang[1], 6)
    await assert_untouched(hub, first)
    # A participant changing its own quantity is measured against the others only.
    assert (await join(hub, opened, cast.tangerang[0], 20)).total_quantity == 20


async def test_a_quantity_below_the_participant_minimum_is_refused(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0], min_quantity=5)
    for too_few in (4, 0, -3):
        with pytest.raises(InputError, match="at least 5 karung"):
            await join(hub, opened, cast.tangerang[0], too_few)
    await assert_untouched(hub, opened)
    assert (await join(hub, opened, cast.tangerang[0], 5)).total_quantity == 5


async def test_a_partners_only_group_buy_takes_only_the_suppliers_juk_partners(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0], partners_only=True)
    assert opened.partners_only
    for outsider in (cast.outsider, cast.tangerang[0]):
        with pytest.raises(ForbiddenError, match="no partnership"):
            await join(hub, opened, outsider, 5)
    await assert_untouched(hub, opened)
    joined = await join(hub, opened, cast.partners[1], 5)
    assert [p.key for p in joined.participants] == [cast.partners[1]]


async def test_only_a_partner_may_open_a_partners_only_group_buy(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks)
    with pytest.raises(ForbiddenError, match="no JUK partnership"):
        await open_on(hub, product, cast.outsider, partners_only=True)
    assert await hub.groupbuys.list() == []


async def test_unknown_and_malformed_requests_are_refused_with_what_to_change(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks)
    refusals: list[tuple[type[HubError], str, OpenGroupBuyRequest]] = [
        (NotFoundError, "not a cooperative", _request(hub, ("sejuk", "999999"), product)),
        (NotFoundError, "does not exist", _request(hub, cast.partners[0], ("sejuk", "999999"))),
        (InputError, "in the future", _request(hub, cast.partners[0], product, closes_in=-1)),
        (InputError, "within 90 days", _request(hub, cast.partners[0], product, closes_in=1e8)),
        (InputError, "targetQuantity", _request(hub, cast.partners[0], product, target=0)),
        (InputError, "minQuantity", _request(hub, cast.partners[0], product, minimum=0)),
    ]
    for error, message, request in refusals:
        with pytest.raises(error, match=message):
            await hub.groupbuys.open(hub.loaders(), request)
    assert await hub.groupbuys.list() == []

    opened = await open_on(hub, product, cast.partners[0])
    with pytest.raises(NotFoundError, match="not a cooperative"):
        await join(hub, opened, ("tangerang", "coop_999999"), 5)
    with pytest.raises(NotFoundError, match="no group buy"):
        await hub.groupbuys.join(hub.loaders(), "nope", cast.tangerang[0], 5)
    await assert_untouched(hub, opened)


async def test_an_idempotency_key_sent_again_opens_one_group_buy(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    product = await sejuk_product(networks)
    request = replace(_request(hub, cast.partners[0], product), idempotency_key="buka-beras-1")
    first = await hub.groupbuys.open(hub.loaders(), request)
    # A retry gets the same group buy, even once the product has sold out.
    await sejuk_product(networks, stock=0, product_id=product[1])
    assert (await hub.groupbuys.open(hub.loaders(), request)).id == first.id
    # Two copies of one request at the same instant open one group buy.
    twice = replace(request, idempotency_key="buka-beras-2")
    await sejuk_product(networks, product_id=product[1])
    racing = await asyncio.gather(*(hub.groupbuys.open(hub.loaders(), twice) for _ in range(2)))
    assert racing[0].id == racing[1].id != first.id
    # A key is the coordinator's own: another may use the same one.
    theirs = replace(
        request, coordinator=cast.partners[1], coordinator_label=label(cast.partners[1])
    )
    assert (await hub.groupbuys.open(hub.loaders(), theirs)).id not in (first.id, racing[0].id)
    # The same key for a different group buy is refused, and opens nothing.
    with pytest.raises(ConflictError, match="already used for a different group buy"):
        await hub.groupbuys.open(hub.loaders(), replace(request, min_quantity=5))
    with pytest.raises(InputError, match="1-200 characters"):
        await hub.groupbuys.open(hub.loaders(), replace(request, idempotency_key=""))
    assert len(await hub.groupbuys.list(GroupBuyFilter(product=product))) == 3


async def test_two_cooperatives_joining_at_the_same_instant_both_count(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks), cast.partners[0])
    joiners = [*cast.tangerang, *cast.partners]
    results = await asyncio.gather(*(join(hub, opened, c, 3 + n) for n, c in enumerate(joiners)))
    assert len(results) == len(joiners)
    final = await hub.groupbuys.get(opened.id)
    assert {p.key for p in final.participants} == set(joiners)
    assert final.total_quantity == sum(3 + n for n in range(len(joiners)))
    assert final.version == opened.version + len(joiners)


async def test_two_joins_racing_for_the_last_units_cannot_both_have_them(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    opened = await open_on(hub, await sejuk_product(networks, stock=10), cast.partners[0])
    outcomes = await asyncio.gather(
        join(hub, opened, cast.tangerang[0], 6),
        join(hub, opened, cast.tangerang[1], 6),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == 1
    assert isinstance(refused[0], InputError)
    assert (await hub.groupbuys.get(opened.id)).total_quantity == 6


async def test_the_list_filters_by_status_product_supplier_coordinator_and_participant(
    hub: Hub, networks: LiveNetworks, cast: Cast
) -> None:
    rice, sugar = await sejuk_product(networks), await sejuk_product(networks)
    a = await open_on(hub, rice, cast.partners[0])
    hub.clock.advance(1)
    b = await open_on(hub, sugar, cast.partners[1])
    await join(hub, b, cast.tangerang[0], 4)
    await join(hub, a, cast.tangerang[0], 4)
    await hub.groupbuys.close(hub.loaders(), a.id, cast.partners[0])

    async def ids(**where: object) -> list[str]:
        return [g.id for g in await hub.groupbuys.list(GroupBuyFilter(**where))]  # type: ignore[arg-type]

    assert await ids() == [b.id, a.id]  # newest first
    assert await ids(status=GroupBuyState.OPEN) == [b.id]
    assert await ids(status=GroupBuyState.CLOSED) == [a.id]
    assert await ids(product=rice) == [a.id]
    assert await ids(supplier=("sejuk", b.supplier_id)) == [b.id, a.id]
    assert await ids(supplier=("tangerang", b.supplier_id)) == []
    assert await ids(coordinator=cast.partners[1]) == [b.id]
    assert await ids(participant=cast.tangerang[0]) == [b.id, a.id]
    assert await ids(participant=cast.tangerang[1]) == []
    first = await hub.groupbuys.list(first=1)
    assert [g.id for g in first] == [b.id]
    rest = await hub.groupbuys.list(first=5, after=(first[0].created_at, first[0].id))
    assert [g.id for g in rest] == [a.id]


def _request(
    hub: Hub,
    coordinator: tuple[str, str],
    product: tuple[str, str],
    *,
    closes_in: float = HOUR,
    target: int | None = None,
    minimum: int = 1,
) -> OpenGroupBuyRequest:
    return OpenGroupBuyRequest(
        coordinator=coordinator,
        coordinator_label=label(coordinator),
        product=product,
        product_label=label(product),
        closes_at=hub.clock() + closes_in,
        target_quantity=target,
        min_quantity=minimum,
    )
