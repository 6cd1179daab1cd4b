"""Awarding one RFQ twice at the same moment, from two hub replicas on PostgreSQL: one
award wins, the other is CONFLICT, and exactly one purchase order exists anywhere."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from federation.errors import ConflictError
from federation.hub import Federation
from federation.orders.database import connect
from federation.orders.service import OrderService
from federation.orders.store import OrderStore
from federation.orders.tables import orders as orders_table
from federation.procurement.model import Award, AwardStatus, Organisation
from federation.procurement.service import ProcurementService
from federation.procurement.store import ProcurementStore
from federation.procurement.tables import awards
from tests.federation.procurement.support import (
    Clock,
    invited,
    listing_quote,
    orderable_product,
    rfq_draft,
    supplier,
)
from tests.support.live import order_service

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]

BUYER = Organisation.bumn("BUMN-TELKO")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def replicas(
    federation: Federation, postgres_url: str
) -> AsyncIterator[tuple[ProcurementService, ProcurementService]]:
    """Two hub processes as far as the database can tell: engines, stores, services."""
    async with order_service(federation, postgres_url) as first_orders:
        engine = connect(postgres_url)
        try:
            second_orders = OrderService(OrderStore(engine), federation, retry_after=0.2)
            clock = Clock()
            yield (
                ProcurementService(
                    ProcurementStore(first_orders.store.engine),
                    federation,
                    first_orders,
                    clock=clock,
                ),
                ProcurementService(
                    ProcurementStore(engine), federation, second_orders, clock=clock
                ),
            )
        finally:
            await engine.dispose()


async def test_two_replicas_award_at_once_and_only_one_wins(
    replicas: tuple[ProcurementService, ProcurementService], federation: Federation
) -> None:
    first, second = replicas
    assert first.store.engine.dialect.name == "postgresql"
    clock = first.clock
    assert isinstance(clock, Clock)
    rfq = await first.publish(BUYER, rfq_draft(clock))
    locals_ = [i for i in invited(rfq, "sejuk") if await orderable_product(federation, i)][:2]
    assert len(locals_) == 2, "the test needs two SEJUK suppliers with orderable products"
    quotes = [
        await first.submit_quote(supplier(i), await listing_quote(federation, rfq, i))
        for i in locals_
    ]

    outcomes = await asyncio.gather(
        first.award(BUYER, rfq.id, quotes[0].id),
        second.award(BUYER, rfq.id, quotes[1].id),
        return_exceptions=True,
    )

    won = [o for o in outcomes if isinstance(o, Award)]
    lost = [o for o in outcomes if isinstance(o, ConflictError)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert won[0].status is AwardStatus.ISSUED
    async with first.store.engine.connect() as conn:
        award_rows = (
            await conn.execute(select(func.count()).where(awards.c.rfq_id == rfq.id))
        ).scalar()
        order_rows = (
            await conn.execute(
                select(func.count()).where(orders_table.c.idempotency_key == f"rfq-award:{rfq.id}")
            )
        ).scalar()
    assert (award_rows, order_rows) == (1, 1)
    assert won[0].order_id is not None
    order = await first.orders.get(won[0].order_id)
    (sub,) = order.sub_orders
    assert sub.native_id is not None
    assert await federation.by_code["sejuk"].get_order(sub.native_id) is not None
    assert await first.award_of(BUYER, rfq.id) == await second.award_of(BUYER, rfq.id)
