"""The graph over the catalog index: search, suppliers and freshness from the hub's own
database, ``live: true`` for the fan-out, and orders checked against the live price."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
import strawberry

from federation.hub import Federation
from federation.index.catalog import CatalogIndex
from federation.orders.database import connect
from federation.orders.service import OrderService
from federation.orders.store import OrderStore
from hub.database import upgrade
from resolvers.context import Context, Services
from resolvers.ids import from_global_id
from tests.schema.conftest import SCHEMA, token_of
from tests.support.catalog_admin import put_request
from tests.support.live import LiveNetworks, federation_over, live_networks


@pytest.fixture
async def networks(tmp_path: Path) -> AsyncIterator[LiveNetworks]:
    async with live_networks(tmp_path / "networks") as live:  # these tests change prices
        yield live


@pytest.fixture
async def federation(networks: LiveNetworks) -> AsyncIterator[Federation]:
    async with federation_over(networks, deadline=2.0) as fed:
        yield fed


@pytest.fixture
async def services(federation: Federation, tmp_path: Path) -> AsyncIterator[Services]:
    """Orders and a fully loaded index over the live networks, on a SQLite file."""
    url = f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    try:
        index = CatalogIndex(engine, federation.connectors, stale_after=3600)
        assert all(r.ok for r in await index.sync_now())
        yield Services(orders=OrderService(OrderStore(engine), federation), index=index)
    finally:
        await engine.dispose()


async def run(
    federation: Federation, services: Services, query: str, variables: dict[str, Any] | None = None
) -> strawberry.types.ExecutionResult:
    """``query`` for a token of SEJUK cooperative 1, the buyer of this module's orders."""
    context = Context(federation, services=services, principal=token_of(BUYER))
    return await SCHEMA.execute(query, variable_values=variables, context_value=context)


async def data(federation: Federation, services: Services, query: str, **variables: Any) -> Any:
    result = await run(federation, services, query, variables)
    assert result.errors is None, result.errors
    return result.data


BUYER = "Q29vcGVyYXRpdmU6c2VqdWs6MQ"  # SEJUK cooperative 1
SEARCH = """query S($text: String, $live: Boolean = false, $after: String, $first: Int = 20) {
  search(text: $text, live: $live, first: $first, after: $after) {
    edges { node { id name price { amount } network { code } } }
    pageInfo { hasNextPage endCursor }
    networks { code status latencyMs message syncedAt }
    facets { categories { value count } networks { value count } }
  }
}"""
NETWORKS = "{ networks { code syncedAt stale syncError } }"


async def test_search_answers_from_the_index_with_facets_over_the_whole_result(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    await networks.reset_counts()
    first = (await data(federation, services, SEARCH, text="beras"))["search"]

    assert first["edges"]
    assert {n["code"]: n["status"] for n in first["networks"]} == {
        "sejuk": "INDEXED",
        "tangerang": "INDEXED",
        "padi": "INDEXED",
    }
    assert all(n["syncedAt"] and n["latencyMs"] == 0 for n in first["networks"])
    assert sum((await networks.request_counts()).values()) == 0  # no network was asked
    # Facets count every match, so they add up to what paging to the end finds.
    seen = [e["node"]["id"] for e in first["edges"]]
    after = first["pageInfo"]["endCursor"]
    while after is not None:
        page = (await data(federation, services, SEARCH, text="beras", after=after))["search"]
        seen += [e["node"]["id"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert len(seen) == len(set(seen))
    assert sum(f["count"] for f in first["facets"]["networks"]) == len(seen)
    assert sum(f["count"] for f in first["facets"]["categories"]) == len(seen)


async def test_with_every_network_down_the_index_answers_and_live_says_why_not(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    for code in networks.urls:
        await networks.set_faults(code, down="503")

    indexed = await run(federation, services, SEARCH, {"text": "kopi arabika"})
    live = await run(federation, services, SEARCH, {"text": "kopi arabika", "live": True})

    assert indexed.errors is None, indexed.errors
    assert "arabika" in indexed.data["search"]["edges"][0]["node"]["name"].lower()
    assert live.errors is not None
    assert {e.extensions["code"] for e in live.errors} == {"NETWORK_UNAVAILABLE"}  # type: ignore[index]
    assert {n["status"] for n in live.data["search"]["networks"]} == {"ERROR"}


async def test_a_network_that_fails_to_sync_is_stale_and_still_searched(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    index = services.index
    assert index is not None
    before = await data(federation, services, SEARCH, text="minyak", first=100)
    padi_before = [e for e in before["search"]["edges"] if e["node"]["network"]["code"] == "padi"]
    await networks.set_faults("padi", down="503")

    results = await index.sync_now()

    assert {r.network: r.ok for r in results} == {"sejuk": True, "tangerang": True, "padi": False}
    shown = {n["code"]: n for n in (await data(federation, services, NETWORKS))["networks"]}
    assert shown["padi"]["stale"] is True
    assert "503" in shown["padi"]["syncError"] or "unavailable" in shown["padi"]["syncError"]
    assert shown["sejuk"]["stale"] is False
    after = await data(federation, services, SEARCH, text="minyak", first=100)
    statuses = {n["code"]: n["status"] for n in after["search"]["networks"]}
    assert statuses == {"sejuk": "INDEXED", "tangerang": "INDEXED", "padi": "STALE"}
    padi_after = [e for e in after["search"]["edges"] if e["node"]["network"]["code"] == "padi"]
    assert padi_after == padi_before


async def test_migor_finds_minyak_goreng_first(federation: Federation, services: Services) -> None:
    found = await data(federation, services, SEARCH, text="migor")
    names = [e["node"]["name"].lower() for e in found["search"]["edges"]]
    assert names
    assert "minyak goreng" in names[0]


async def test_an_order_at_a_price_changed_since_the_sync_is_refused_with_the_new_price(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    index = services.index
    assert index is not None
    shown = (await data(federation, services, SEARCH, text="gula", first=50))["search"]
    node = next(e["node"] for e in shown["edges"] if e["node"]["network"]["code"] == "sejuk")
    _, (network, product_id) = from_global_id(node["id"])
    indexed = (await index.products([(network, product_id)]))[(network, product_id)]
    raised = replace(indexed, price=indexed.price + 1_000, tiers=(), stock=1_000)
    path, body = put_request(raised)
    await networks.admin(network, "PUT", path, body)
    order = {
        "buyerId": BUYER,
        "lines": [{"productId": node["id"], "quantity": indexed.min_order}],
        "deliveryRegionCode": "32.73",
        "idempotencyKey": f"index-{uuid.uuid4()}",
    }
    place = "mutation P($o: PlaceOrderInput!) { placeOrder(input: $o) { status total { amount } } }"

    refused = await run(federation, services, place, {"o": order})

    assert refused.errors is not None
    extensions = refused.errors[0].extensions or {}
    assert (extensions["code"], extensions["unitPrice"]) == ("CONFLICT", raised.price)
    assert extensions["productId"] == node["id"]
    # The index now shows the new price, so the buyer sees it; ordering again takes it.
    again = (await data(federation, services, SEARCH, text="gula", first=50))["search"]
    prices = {e["node"]["id"]: e["node"]["price"]["amount"] for e in again["edges"]}
    assert prices[node["id"]] == raised.price
    placed = await data(federation, services, place, o=order)
    assert placed["placeOrder"]["status"] == "CONFIRMED"
    assert placed["placeOrder"]["total"]["amount"] == raised.price * indexed.min_order


async def test_suppliers_from_the_index_count_their_products_and_networks(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    query = """{ suppliers(first: 100) { edges { node { nib networkCount productCount
      listings { network { code } nativeId } } } networks { code status } } }"""
    found = (await data(federation, services, query))["suppliers"]
    assert {n["status"] for n in found["networks"]} == {"INDEXED"}
    index = services.index
    assert index is not None
    for edge in found["edges"]:
        supplier = edge["node"]
        assert supplier["networkCount"] == len(supplier["listings"])
        keys = [(x["network"]["code"], x["nativeId"]) for x in supplier["listings"]]
        assert supplier["productCount"] == sum((await index.product_counts(keys)).values())
    assert any(e["node"]["networkCount"] == 2 for e in found["edges"])  # shared NIBs
    assert any(e["node"]["productCount"] for e in found["edges"])
