"""One Supplier per NIB across networks, paged exactly once."""

from __future__ import annotations

from typing import Any

import pytest

from federation.hub import Federation
from networks.common.universe import Universe
from tests.schema.conftest import run
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

SUPPLIERS = """
query Suppliers($filter: SupplierFilter, $first: Int!, $after: String) {
  suppliers(filter: $filter, first: $first, after: $after) {
    edges { node { id nib name scale certifications { kind }
                   listings { network { code } nativeId name } } }
    pageInfo { hasNextPage endCursor }
    networks { code status }
  }
}
"""


async def walk_suppliers(
    federation: Federation, first: int, **variables: Any
) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        result = await run(federation, SUPPLIERS, {**variables, "first": first, "after": after})
        assert result.errors is None, result.errors
        page = result.data["suppliers"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def shared_nibs(per_network: int = 15) -> set[str]:
    """NIBs the reference networks seeded with the same universe have in common."""
    universe = Universe(2026)
    listed = [
        {u.nib for u in universe.suppliers_for(code, per_network)}
        for code in ("sejuk", "tangerang", "padi")
    ]
    return (listed[0] & listed[1]) | (listed[0] & listed[2]) | (listed[1] & listed[2])


async def test_a_nib_in_two_networks_is_one_supplier_with_two_listings(
    federation: Federation, clean: LiveNetworks
) -> None:
    suppliers = await walk_suppliers(federation, 6)
    nibs = [s["nib"] for s in suppliers]
    assert len(nibs) == len(set(nibs))
    shared = shared_nibs()
    assert shared
    by_nib = {s["nib"]: s for s in suppliers}
    for nib in shared:
        listings = by_nib[nib]["listings"]
        assert len(listings) == 2
        assert len({listing["network"]["code"] for listing in listings}) == 2


async def test_every_supplier_of_every_network_appears_once(
    federation: Federation, clean: LiveNetworks
) -> None:
    universe = Universe(2026)
    expected = set().union(*({u.nib for u in universe.suppliers_for(c, 15)} for c in clean.urls))
    nibs = {s["nib"] for s in await walk_suppliers(federation, 9)}
    # SEJUK adds its own large suppliers (Bulog-, Indofood-, Unilever-like) beside UMKM.
    assert expected <= nibs
    assert len(nibs - expected) == 3


async def test_filters_apply_to_every_network(federation: Federation, clean: LiveNetworks) -> None:
    halal = await walk_suppliers(
        federation, 10, filter={"certifications": ["HALAL"], "scale": "MIKRO"}
    )
    assert halal
    assert all(s["scale"] == "MIKRO" for s in halal)
    assert all("HALAL" in {c["kind"] for c in s["certifications"]} for s in halal)


async def test_a_kbli_prefix_finds_every_code_under_it_in_every_network(
    federation: Federation, clean: LiveNetworks
) -> None:
    everyone = await walk_suppliers(federation, 50)
    query = """query K($f: SupplierFilter) { suppliers(filter: $f, first: 100) {
      edges { node { nib listings { kbli network { code } } } } } }"""
    for prefix in ("10", "107"):
        result = await run(federation, query, {"f": {"kbli": prefix}})
        assert result.errors is None, result.errors
        found = {e["node"]["nib"] for e in result.data["suppliers"]["edges"]}
        assert found, prefix
        for edge in result.data["suppliers"]["edges"]:
            codes = [k for listing in edge["node"]["listings"] for k in listing["kbli"]]
            assert any(k.startswith(prefix) for k in codes), (prefix, codes)
        assert found <= {s["nib"] for s in everyone}
    food = await run(federation, query, {"f": {"kbli": "10"}})
    networks = {
        listing["network"]["code"]
        for e in food.data["suppliers"]["edges"]
        for listing in e["node"]["listings"]
    }
    assert "sejuk" in networks  # SEJUK's whole-code filter no longer hides its food makers
