"""The graph over three live reference networks, shared by a module's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import strawberry

from federation.hub import Federation
from federation.orders.service import OrderService
from resolvers.context import Context, Services
from schema import build_schema
from tests.support.live import LiveNetworks, federation_over, live_networks, order_service


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def networks(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveNetworks]:
    async with live_networks(tmp_path_factory.mktemp("networks")) as live:
        yield live


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def federation(networks: LiveNetworks) -> AsyncIterator[Federation]:
    async with federation_over(networks, deadline=2.0) as fed:
        yield fed


@pytest_asyncio.fixture(loop_scope="module")
async def clean(networks: LiveNetworks) -> AsyncIterator[LiveNetworks]:
    """The networks without faults, their request counters at zero."""
    await networks.clear_faults()
    await networks.reset_counts()
    yield networks
    await networks.clear_faults()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def orders(
    federation: Federation, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[OrderService]:
    """Orders over the live networks, on a migrated SQLite file of this module's own."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('hub')}/hub.sqlite3"
    async with order_service(federation, url) as service:
        yield service


SCHEMA = build_schema()


async def run(
    federation: Federation,
    query: str,
    variables: dict[str, Any] | None = None,
    orders: OrderService | None = None,
) -> strawberry.types.ExecutionResult:
    """Execute ``query`` the way the HTTP endpoint does, with a fresh context."""
    context = Context(federation, services=Services(orders=orders))
    return await SCHEMA.execute(query, variable_values=variables, context_value=context)
