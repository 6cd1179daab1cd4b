"""Group buy fixtures: the live networks of ``tests/schema``, a hub database per test.

Each test gets a freshly migrated SQLite file of its own (so one test's due group buys are
never closed by another's closer) and a ``Clock`` it moves by hand: closing times pass
when the test says so, never by waiting. ``postgres_url`` is that of ``tests/federation/orders``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from federation.hub import Federation
from tests.federation.groupbuy.support import (
    BIG_SUPPLIER,
    Cast,
    Clock,
    Hub,
    hub_over,
    sqlite_url,
)
from tests.federation.orders.conftest import postgres_url
from tests.schema.conftest import clean, federation, networks

__all__ = ["clean", "federation", "networks", "postgres_url"]


@pytest_asyncio.fixture(loop_scope="module")
async def hub(federation: Federation, tmp_path: Path) -> AsyncIterator[Hub]:
    """A hub on a migrated SQLite file of this test's own, with a hand-moved clock."""
    async with hub_over(federation, sqlite_url(tmp_path), Clock()) as made:
        yield made


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cast(federation: Federation) -> Cast:
    supplier = (await federation.by_code["sejuk"].get_suppliers([BIG_SUPPLIER]))[BIG_SUPPLIER]
    partners = tuple(("sejuk", cid) for cid in supplier.partner_cooperative_ids)
    known = await federation.by_code["sejuk"].get_cooperatives([str(n) for n in range(1, 30)])
    outsider = next(
        cid for cid in sorted(known, key=int) if cid not in supplier.partner_cooperative_ids
    )
    tangerang = await federation.by_code["tangerang"].get_cooperatives(
        [f"coop_{n:06d}" for n in range(1, 6)]
    )
    assert len(partners) >= 2
    assert len(tangerang) >= 3
    return Cast(partners, ("sejuk", outsider), tuple(("tangerang", t) for t in sorted(tangerang)))
