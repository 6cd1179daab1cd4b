"""``node`` and ``nodes``: anything fetched again by its global ID."""

from __future__ import annotations

import pytest

from federation.hub import Federation
from resolvers.ids import to_global_id
from tests.schema.conftest import run
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

NODES = """
query N($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Product { name network { code } }
    ... on Supplier { nib listings { network { code } } }
    ... on Cooperative { name }
    ... on Network { code }
  }
}
"""


async def test_every_kind_of_node_comes_back_by_its_id(
    federation: Federation, clean: LiveNetworks
) -> None:
    found = await run(
        federation,
        "{ search(first: 3) { edges { node { id name supplier { id nib } } } }"
        "  cooperatives(first: 2) { edges { node { id name } } } networks { id code } }",
    )
    products = [e["node"] for e in found.data["search"]["edges"]]
    cooperatives = [e["node"] for e in found.data["cooperatives"]["edges"]]
    network = found.data["networks"][0]
    ids = [products[0]["id"], products[0]["supplier"]["id"], cooperatives[0]["id"], network["id"]]

    result = await run(federation, NODES, {"ids": ids})

    assert result.errors is None
    product, supplier, cooperative, net = result.data["nodes"]
    assert product["name"] == products[0]["name"]
    assert supplier["nib"] == products[0]["supplier"]["nib"]
    assert cooperative["name"] == cooperatives[0]["name"]
    assert net["code"] == network["code"]
    assert [n["id"] for n in result.data["nodes"]] == ids


async def test_ids_of_things_that_do_not_exist_are_null(
    federation: Federation, clean: LiveNetworks
) -> None:
    gone = [
        to_global_id("Product", "sejuk", "999999"),
        to_global_id("Supplier", "9999999999999"),
        to_global_id("Network", "jakarta"),
    ]
    result = await run(federation, NODES, {"ids": gone})
    assert result.errors is None
    assert result.data["nodes"] == [None, None, None]


async def test_nodes_batch_per_network(federation: Federation, clean: LiveNetworks) -> None:
    page = await run(federation, "{ search(first: 30) { edges { node { id } } } }")
    ids = [e["node"]["id"] for e in page.data["search"]["edges"]]
    await clean.reset_counts()
    result = await run(federation, NODES, {"ids": ids})
    assert all(n is not None for n in result.data["nodes"])
    counts = await clean.request_counts()
    assert all(n <= 1 for n in counts.values()), counts
