"""Procurement over the three live reference networks, on a SQLite board of the module's own.

``networks``, ``federation`` and ``clean`` are the fixtures of ``tests/schema/conftest.py``;
``postgres_url`` that of ``tests/federation/orders/conftest.py``. Each test gets its own
``ProcurementService`` with a clock of its own (``clock.advance``), over the module's
shared order service and database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from federation.hub import Federation
from federation.orders.service import OrderService
from federation.procurement.service import ProcurementService
from federation.procurement.store import ProcurementStore
from tests.federation.orders.conftest import postgres_url
from tests.federation.procurement.support import Clock
from tests.schema.conftest import clean, federation, networks
from tests.support.live import order_service

__all__ = ["clean", "federation", "networks", "postgres_url"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def orders(
    federation: Federation, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[OrderService]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('hub')}/hub.sqlite3"
    async with order_service(federation, url) as service:
        yield service


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def procurement(federation: Federation, orders: OrderService, clock: Clock) -> ProcurementService:
    return ProcurementService(
        ProcurementStore(orders.store.engine), federation, orders, clock=clock
    )
