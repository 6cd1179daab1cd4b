"""Nested fields cost one batched request per network per level, counted by the networks."""

from __future__ import annotations

import pytest

from federation.hub import Federation
from tests.schema.conftest import run
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

NESTED = """
{
  search(first: 50) {
    edges { node { name
      supplier { nib name
        listings { network { code } name }
        partnerCooperatives { name type } } } }
  }
}
"""


async def test_fifty_products_with_suppliers_listings_and_cooperatives(
    federation: Federation, clean: LiveNetworks
) -> None:
    await run(federation, "{ networks { code } }")  # the PaDi token, fetched once
    await run(federation, "{ search(first: 1) { edges { cursor } } }")
    await clean.reset_counts()

    result = await run(federation, NESTED)

    assert result.errors is None, result.errors
    edges = result.data["search"]["edges"]
    assert len(edges) == 50
    assert all(e["node"]["supplier"]["listings"] for e in edges)
    counts = {
        code: (await clean.admin(code, "GET", "/admin/requests"))["by_route"] for code in clean.urls
    }
    # Levels: the search, the products' suppliers, the suppliers' listings by NIB, and
    # the partner cooperatives; each at most one request per network.
    for code, routes in counts.items():
        upstream = {r: n for r, n in routes.items() if "oauth" not in r}
        assert sum(upstream.values()) <= 4 + (1 if code == "sejuk" else 0), (code, upstream)
