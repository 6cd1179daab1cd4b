"""The graph over three live reference networks, shared by a module's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import strawberry

from federation.hub import Federation
from federation.orders.service import OrderService
from hub.app import hub_documents
from hub.settings import load_settings
from resolvers import access
from resolvers.context import Context, Services
from resolvers.principal import Principal
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


# The graph as the hub serves it, parsed and validated by the hub's own rules; the cost
# limit is raised for the wide pages some tests read (tests/hub checks the limits).
SCHEMA = build_schema(
    extensions=[hub_documents(load_settings({"HUB_MAX_COST": "1000000"})).extension()]
)
EVERY_SCOPE = frozenset(
    {
        access.CATALOG_READ,
        access.ORDERS_READ,
        access.ORDERS_WRITE,
        access.GROUPBUY_WRITE,
        access.PROCUREMENT_READ,
        access.PROCUREMENT_WRITE,
        access.ANALYTICS_READ,
    }
)


def token_of(organisation: str | None, scopes: frozenset[str] = EVERY_SCOPE) -> Principal:
    """A principal of ``organisation`` (a global ID) holding ``scopes``."""
    return Principal(f"client-{organisation}", organisation, scopes, "test")


async def run(
    federation: Federation,
    query: str,
    variables: dict[str, Any] | None = None,
    orders: OrderService | None = None,
    *,
    who: str | None = None,
) -> strawberry.types.ExecutionResult:
    """Execute ``query`` the way the HTTP endpoint does, with a fresh context: for a token
    of organisation ``who`` (every scope), or anonymously."""
    principal = token_of(who) if who is not None else None
    context = Context(federation, services=Services(orders=orders), principal=principal)
    return await SCHEMA.execute(query, variable_values=variables, context_value=context)
