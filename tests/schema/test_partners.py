"""JUK partnerships in the graph: ``Cooperative.partners``, batched per network."""

from __future__ import annotations

import httpx
import pytest

from federation.hub import Federation
from tests.schema.conftest import run
from tests.support.live import CREDENTIALS, LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

PARTNERS = """query P($f: CooperativeFilter) { cooperatives(first: 40, filter: $f) {
  edges { node { nativeId partners {
    mouNumber validFrom validUntil categories { slug } supplier { name listings { nativeId } }
  } } } } }"""


async def test_sejuk_cooperatives_show_their_mous_with_large_suppliers(
    federation: Federation, clean: LiveNetworks
) -> None:
    headers = {"X-API-Key": CREDENTIALS["sejuk"]["api_key"]}
    async with httpx.AsyncClient(base_url=clean.urls["sejuk"], headers=headers) as client:
        answer = await client.get("/api/v1/kemitraan", params={"koperasi_id": 1})
    expected = answer.json()["data"]
    await clean.reset_counts()

    result = await run(federation, PARTNERS, {"f": {"networks": ["sejuk"]}})

    assert result.errors is None, result.errors
    shown = {
        e["node"]["nativeId"]: e["node"]["partners"] for e in result.data["cooperatives"]["edges"]
    }
    first = shown["1"]  # the seed gives the first cooperative every partnership
    assert [p["mouNumber"] for p in first] == [k["nomor_mou"] for k in expected]
    assert [p["supplier"]["listings"][0]["nativeId"] for p in first] == [
        str(k["pemasok_id"]) for k in expected
    ]
    assert all(p["supplier"]["name"] and p["categories"] for p in first)
    assert any(not partners for partners in shown.values())  # not every cooperative has one
    # One request each: the cooperatives, every MoU, the partner suppliers, their listings
    # by NIB; never one per cooperative.
    assert (await clean.request_counts())["sejuk"] == 4


async def test_networks_without_juk_show_no_partners(
    federation: Federation, clean: LiveNetworks
) -> None:
    result = await run(federation, PARTNERS, {"f": {"networks": ["tangerang", "padi"]}})
    assert result.errors is None, result.errors
    edges = result.data["cooperatives"]["edges"]
    assert edges
    assert all(e["node"]["partners"] == [] for e in edges)
