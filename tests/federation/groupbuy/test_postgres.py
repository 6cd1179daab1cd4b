"""Group buys on PostgreSQL, from two replicas at once: concurrent joins, one close, one
group buy per idempotency key.

PostgreSQL runs these transactions truly concurrently (SQLite queues them), so this is
where the row lock and the SUM over participant rows earn their keep. The database is
this module's own on the server at ``HUB_TEST_POSTGRES_URL`` (skipped when unset).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import anyio.to_thread
import pytest
import pytest_asyncio

from federation.errors import InputError
from federation.groupbuy.model import GroupBuyState, Key
from federation.groupbuy.requests import GroupBuyFilter, OpenGroupBuyRequest
from federation.hub import Federation
from hub.database import upgrade
from tests.federation.groupbuy.support import (
    HOUR,
    Cast,
    Clock,
    Hub,
    hub_over,
    label,
    open_on,
    sejuk_product,
)
from tests.schema.test_orders import network_rows
from tests.support.live import LiveNetworks

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

FAR = 80 * 24 * HOUR  # closing times no other test's clock reaches
ROUNDS = 3


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def migrated(postgres_url: str) -> str:
    await anyio.to_thread.run_sync(upgrade, postgres_url)
    return postgres_url


@pytest_asyncio.fixture(loop_scope="module")
async def replicas(federation: Federation, migrated: str) -> AsyncIterator[tuple[Hub, Hub]]:
    """Two hubs on the one PostgreSQL database, each with its own engine, sharing a clock."""
    clock = Clock()
    async with (
        hub_over(federation, migrated, clock, migrate=False) as one,
        hub_over(federation, migrated, clock, migrate=False) as two,
    ):
        assert one.engine.dialect.name == "postgresql"
        yield one, two


async def test_joins_from_two_replicas_at_the_same_instant_all_count(
    replicas: tuple[Hub, Hub], networks: LiveNetworks, cast: Cast
) -> None:
    one, two = replicas
    opened = await open_on(one, await sejuk_product(networks), cast.partners[0], closes_in=FAR)
    joiners: list[Key] = [*cast.tangerang, *cast.partners, cast.outsider]
    await asyncio.gather(
        *(
            (one if n % 2 else two).groupbuys.join(
                (one if n % 2 else two).loaders(), opened.id, cooperative, 2 + n
            )
            for n, cooperative in enumerate(joiners)
        )
    )
    final = await one.groupbuys.get(opened.id)
    assert {p.key for p in final.participants} == set(joiners)
    assert final.total_quantity == sum(2 + n for n in range(len(joiners)))
    assert final.version == opened.version + len(joiners)


async def test_joins_racing_for_the_last_units_never_oversell(
    replicas: tuple[Hub, Hub], networks: LiveNetworks, cast: Cast
) -> None:
    one, two = replicas
    joiners: list[Key] = [*cast.tangerang, *cast.partners, cast.outsider]
    for _ in range(ROUNDS):
        product = await sejuk_product(networks, stock=10)
        opened = await open_on(one, product, cast.partners[0], closes_in=FAR)
        outcomes = await asyncio.gather(
            *(
                hub.groupbuys.join(hub.loaders(), opened.id, cooperative, 4)
                for hub, cooperative in zip(itertools.cycle([one, two]), joiners)
            ),
            return_exceptions=True,
        )
        refused = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(refused) == len(joiners) - 2
        assert all(isinstance(r, InputError) for r in refused)
        assert (await two.groupbuys.get(opened.id)).total_quantity == 8


async def test_two_replicas_closing_a_due_group_buy_at_once_place_one_order(
    replicas: tuple[Hub, Hub], networks: LiveNetworks, cast: Cast
) -> None:
    one, two = replicas
    opened = await open_on(one, await sejuk_product(networks), cast.partners[0])
    await one.groupbuys.join(one.loaders(), opened.id, cast.tangerang[0], 12)
    sejuk_orders = network_rows(networks, "sejuk")
    one.clock.advance(HOUR)
    claimed = await asyncio.gather(one.groupbuys.worker.drain(), two.groupbuys.worker.drain())
    assert sorted(claimed) == [0, 1]
    closed = await two.groupbuys.get(opened.id)
    assert closed.status is GroupBuyState.CLOSED
    assert network_rows(networks, "sejuk") == sejuk_orders + 1


async def test_two_replicas_opening_with_one_idempotency_key_open_one_group_buy(
    replicas: tuple[Hub, Hub], networks: LiveNetworks, cast: Cast
) -> None:
    one, two = replicas
    product = await sejuk_product(networks)
    for round_ in range(ROUNDS):
        request = OpenGroupBuyRequest(
            coordinator=cast.partners[0],
            coordinator_label=label(cast.partners[0]),
            product=product,
            product_label=label(product),
            closes_at=one.clock() + FAR,
            idempotency_key=f"dua-replika-{round_}",
        )
        opened = await asyncio.gather(
            one.groupbuys.open(one.loaders(), request), two.groupbuys.open(two.loaders(), request)
        )
        assert opened[0].id == opened[1].id
    assert len(await one.groupbuys.list(GroupBuyFilter(product=product))) == ROUNDS
