"""The order saga's persistence on PostgreSQL: the SQLite behaviour, and two replicas at once.

Every module run migrates a database of its own (``postgres_url``: created on the server at
``HUB_TEST_POSTGRES_URL`` and dropped afterwards), so two runs can share one server. The
networks are the live reference networks of ``tests/schema``, the helpers those of
``tests/schema/test_orders.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from federation.hub import Federation
from federation.loaders import Loaders
from federation.orders.bus import OrderBus
from federation.orders.database import connect
from federation.orders.model import OrderState, SubOrderState
from federation.orders.placing import LineRequest, PlaceOrderRequest, draft_order
from federation.orders.saga import Keepalive, OrderSaga
from federation.orders.service import OrderService
from federation.orders.store import OrderStore
from federation.orders.tables import orders as orders_table
from federation.orders.tables import outbox, sub_orders
from federation.orders.worker import OrderWorker
from resolvers.ids import decode_node
from tests.federation.orders.network_db import CANCELLED, statuses
from tests.schema.conftest import run
from tests.schema.test_orders import PLACE, network_rows, order_input, settle
from tests.support.live import LiveNetworks, order_service

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

# Bounds on loops that wait for workers: far above what a passing run needs.
MAX_DRAIN_PASSES = 300
DRAIN_BOUND_SECONDS = 60.0


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def orders(federation: Federation, postgres_url: str) -> AsyncIterator[OrderService]:
    """Orders over the live networks, on this module's migrated PostgreSQL database."""
    async with order_service(federation, postgres_url) as service:
        assert service.store.engine.dialect.name == "postgresql"
        yield service


class RecordingSaga(OrderSaga):
    """An ``OrderSaga`` that notes every saga it starts, under its replica's name."""

    def __init__(self, store: OrderStore, federation: Federation, replica: str) -> None:
        super().__init__(store, federation, OrderBus(), backoff=0.05)
        self.replica = replica
        self.runs: list[tuple[str, str]] = []

    async def place(self, order_id: str, keepalive: Keepalive | None = None) -> None:
        """Record (replica, order) and place the order as the real saga does."""
        self.runs.append((self.replica, order_id))
        if keepalive is None:
            await super().place(order_id)
        else:
            await super().place(order_id, keepalive)


@dataclass
class Replica:
    """One hub process as far as the outbox can tell: its own engine, store, saga, worker."""

    engine: AsyncEngine
    saga: RecordingSaga
    worker: OrderWorker

    @classmethod
    def over(cls, federation: Federation, url: str, name: str) -> Replica:
        engine = connect(url)
        store = OrderStore(engine)
        saga = RecordingSaga(store, federation, name)
        worker = OrderWorker(store, saga, federation, saga.bus, retry_after=0.2)
        return cls(engine, saga, worker)


async def place(
    federation: Federation, orders: OrderService, order_in: dict[str, Any]
) -> dict[str, Any]:
    """placeOrder through the graph, as the HTTP endpoint runs it; the order it returns."""
    result = await run(federation, PLACE, {"input": order_in}, orders, who=order_in["buyerId"])
    assert result.errors is None, result.errors
    assert result.data is not None
    return dict(result.data["placeOrder"])


async def count(engine: AsyncEngine, query: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def open_tasks(engine: AsyncEngine) -> int:
    """Outbox tasks not yet finished."""
    return await count(
        engine, select(func.count()).select_from(outbox).where(outbox.c.done_at.is_(None))
    )


async def pending_orders(
    federation: Federation, store: OrderStore, inputs: Sequence[dict[str, Any]]
) -> list[str]:
    """Write each placeOrder input as a new order with its outbox task, placing nothing yet."""
    ids = []
    for order_in in inputs:
        buyer = decode_node(order_in["buyerId"], "Cooperative", "buyerId")
        request = PlaceOrderRequest(
            buyer=(buyer[0], buyer[1]),
            buyer_label=order_in["buyerId"],
            lines=tuple(
                LineRequest(
                    product=(parts[0], parts[1]),
                    product_label=line["productId"],
                    quantity=line["quantity"],
                )
                for line in order_in["lines"]
                for parts in [decode_node(line["productId"], "Product", "productId")]
            ),
            delivery_region_code=order_in["deliveryRegionCode"],
            idempotency_key=order_in["idempotencyKey"],
        )
        order, created = await store.create(await draft_order(Loaders(federation), request))
        assert created
        ids.append(order.id)
    return ids


async def drain_until_empty(replica: Replica) -> None:
    """Run outbox tasks until none is left unfinished (bounded)."""
    for _ in range(MAX_DRAIN_PASSES):
        if await replica.worker.drain() == 0:
            if await open_tasks(replica.engine) == 0:
                return
            await asyncio.sleep(0.05)  # the other replica holds the rest
    raise AssertionError("the outbox did not empty")


async def assert_agreement(
    store: OrderStore, networks: LiveNetworks, order_ids: Sequence[str]
) -> None:
    """Every order CONFIRMED in the hub and held exactly once, live, by each of its networks."""
    for order in await store.load_many(order_ids):
        assert order.status is OrderState.CONFIRMED, (order.id, order.failure_reason)
        for sub in order.sub_orders:
            assert sub.state is SubOrderState.PLACED
            database = networks.apps[sub.network].state.settings.database
            found = statuses(database, sub.network, sub.reference)
            assert len(found) == 1, (sub.network, sub.reference, found)
            assert found[0] not in CANCELLED


async def test_a_two_network_order_is_confirmed_on_postgres(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "tangerang", "sejuk", skip=0)

    placed = await place(federation, orders, order_in)

    assert placed["status"] == "CONFIRMED"
    assert {s["network"]["code"] for s in placed["subOrders"]} == {"tangerang", "sejuk"}
    for sub in placed["subOrders"]:
        assert network_rows(clean, sub["network"]["code"], sub["reference"]) == 1
    engine = orders.store.engine
    key = orders_table.c.idempotency_key == order_in["idempotencyKey"]
    async with engine.connect() as conn:
        row = (await conn.execute(select(orders_table).where(key))).one()
        subs = (await conn.execute(select(sub_orders).where(sub_orders.c.order_id == row.id))).all()
        tasks = (await conn.execute(select(outbox).where(outbox.c.order_id == row.id))).all()
    assert row.status == "CONFIRMED"
    assert row.total == placed["total"]["amount"]
    assert sorted(s.state for s in subs) == ["PLACED", "PLACED"]
    assert all(s.native_id for s in subs)
    assert [t.done_at is not None for t in tasks] == [True]


async def test_twenty_concurrent_placements_with_one_key_make_one_order_on_postgres(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "sejuk", "padi", skip=1)

    results = await asyncio.gather(*(place(federation, orders, order_in) for _ in range(20)))

    assert len({r["id"] for r in results}) == 1
    order = await settle(federation, orders, results[0]["id"])
    assert order["status"] == "CONFIRMED"
    engine = orders.store.engine
    key = orders_table.c.idempotency_key == order_in["idempotencyKey"]
    async with engine.connect() as conn:
        rows = (await conn.execute(select(orders_table.c.id).where(key))).all()
        assert len(rows) == 1
        per_network = select(sub_orders.c.network, func.count()).where(
            sub_orders.c.order_id == rows[0].id
        )
        grouped = await conn.execute(per_network.group_by(sub_orders.c.network))
        counted = {str(network): int(n) for network, n in grouped.all()}
    assert counted == {"sejuk": 1, "padi": 1}
    for sub in order["subOrders"]:
        assert network_rows(clean, sub["network"]["code"], sub["reference"]) == 1


async def test_a_network_failing_at_placement_is_compensated_on_postgres(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    order_in = await order_input(federation, "sejuk", "tangerang", skip=2)
    await clean.set_faults("tangerang", down="503", paths=["/v2/orders"])

    placing = await place(federation, orders, order_in)
    assert placing["status"] == "COMPENSATING"  # Tangerang cannot say yet whether it landed
    await clean.clear_faults()
    order = await settle(federation, orders, placing["id"])

    assert order["status"] == "FAILED"
    assert "tangerang" in order["failureReason"]
    by_network = {s["network"]["code"]: s for s in order["subOrders"]}
    assert by_network["sejuk"]["state"] == "CANCELLED"
    sejuk_db = clean.apps["sejuk"].state.settings.database
    assert statuses(sejuk_db, "sejuk", by_network["sejuk"]["reference"]) == ["dibatalkan"]
    assert network_rows(clean, "tangerang", by_network["tangerang"]["reference"]) == 0
    key = orders_table.c.idempotency_key == order_in["idempotencyKey"]
    async with orders.store.engine.connect() as conn:
        row = (await conn.execute(select(orders_table).where(key))).one()
    assert row.status == "FAILED"
    assert "tangerang" in row.failure_reason


async def test_a_replica_skips_the_tasks_another_replica_is_claiming(
    federation: Federation, orders: OrderService, clean: LiveNetworks, postgres_url: str
) -> None:
    """While one replica's claim holds rows locked, another claims around them, unblocked."""
    inputs = [await order_input(federation, "sejuk", "tangerang", skip=3 + i) for i in range(6)]
    order_ids = await pending_orders(federation, orders.store, inputs)
    first, second = (Replica.over(federation, postgres_url, name) for name in ("a", "b"))
    try:
        held_ids = order_ids[:3]
        async with first.engine.connect() as holding:
            await holding.begin()
            locked = select(outbox.c.id).where(outbox.c.order_id.in_(held_ids)).with_for_update()
            assert len((await holding.execute(locked)).all()) == 3
            # A plain FOR UPDATE would wait here for the rows held above: bounded.
            async with asyncio.timeout(DRAIN_BOUND_SECONDS):
                ran = await second.worker.drain()
            await holding.rollback()
        assert ran == 3
        assert sorted(order for _, order in second.saga.runs) == sorted(order_ids[3:])
        await drain_until_empty(first)
        assert sorted(order for _, order in first.saga.runs) == sorted(held_ids)
    finally:
        await first.engine.dispose()
        await second.engine.dispose()
    await assert_agreement(orders.store, clean, order_ids)


async def test_two_replicas_draining_one_outbox_never_run_a_task_twice(
    federation: Federation, orders: OrderService, clean: LiveNetworks, postgres_url: str
) -> None:
    """More tasks than one claim takes (10), so both replicas get work at the same time."""
    inputs = [await order_input(federation, "sejuk", "tangerang", skip=9 + i) for i in range(16)]
    order_ids = await pending_orders(federation, orders.store, inputs)
    replicas = [Replica.over(federation, postgres_url, name) for name in ("a", "b")]
    try:
        async with asyncio.timeout(DRAIN_BOUND_SECONDS):
            await asyncio.gather(*(drain_until_empty(r) for r in replicas))
    finally:
        for replica in replicas:
            await replica.engine.dispose()

    runs = [run_ for replica in replicas for run_ in replica.saga.runs]
    assert sorted(order for _, order in runs) == sorted(order_ids)  # each exactly once
    assert all(replica.saga.runs for replica in replicas)
    by_order = {order: replica for replica, order in runs}
    names = {r.saga.replica: r.worker.name for r in replicas}
    async with orders.store.engine.connect() as conn:
        tasks = (await conn.execute(select(outbox).where(outbox.c.order_id.in_(order_ids)))).all()
    assert len(tasks) == len(order_ids)
    for task in tasks:
        assert task.attempts == 1, task  # claimed once, by one replica
        assert task.done_at is not None
        assert task.locked_by == names[by_order[task.order_id]]
    await assert_agreement(orders.store, clean, order_ids)
