"""The graph over the catalog index: search, suppliers and freshness from the hub's own
database, ``live: true`` for the fan-out, and orders checked against the live price."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
import strawberry

from connectors.records import ProductQuery, SupplierRecord
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


DIRECTORY = """query D($first: Int = 100) {
  search(first: $first) {
    edges { node { network { code } supplier { nib name region { code name } networkCount
      productCount listings { network { code } nativeId name }
      partnerCooperatives { id name } } } }
    networks { code status syncedAt }
  }
}"""


async def _networks_own_listings(
    federation: Federation, nibs: set[str]
) -> dict[str, list[SupplierRecord]]:
    """Each NIB's listings as the networks themselves answer, in the federation's order."""
    found: dict[str, list[SupplierRecord]] = {nib: [] for nib in nibs}
    for connector in federation.connectors:
        for nib, record in (await connector.find_suppliers_by_nib(sorted(nibs))).items():
            found[nib].append(record)
    return found


async def _networks_own_product_counts(federation: Federation) -> Counter[tuple[str, str]]:
    """Products per (network, supplier id), read from every network's whole catalogue."""
    counts: Counter[tuple[str, str]] = Counter()
    for connector in federation.connectors:
        position: str | None = None
        while True:
            page = await connector.search_products(ProductQuery(), position, 100)
            counts.update((p.network, p.supplier_id) for p in page.items)
            if not page.has_more or not page.items:
                break
            position = page.positions[-1]
    return counts


async def test_a_search_from_the_index_reads_suppliers_listings_and_cooperatives_without_asking_a_network(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    await networks.reset_counts()

    found = (await data(federation, services, DIRECTORY))["search"]

    assert sum((await networks.request_counts()).values()) == 0  # not one network asked
    assert {n["status"] for n in found["networks"]} == {"INDEXED"}
    suppliers = [e["node"]["supplier"] for e in found["edges"]]
    assert suppliers
    assert all(s is not None for s in suppliers)
    # The same answers as the networks' own data.
    own = await _networks_own_listings(federation, {s["nib"] for s in suppliers})
    own_counts = await _networks_own_product_counts(federation)
    for edge, supplier in zip(found["edges"], suppliers, strict=True):
        listed = own[supplier["nib"]]
        network = edge["node"]["network"]["code"]
        assert supplier["name"] == next(r.name for r in listed if r.network == network)
        assert [(x["network"]["code"], x["nativeId"], x["name"]) for x in supplier["listings"]] == [
            (r.network, r.id, r.name) for r in listed
        ]
        assert supplier["networkCount"] == len(listed)
        assert supplier["productCount"] == sum(own_counts[(r.network, r.id)] for r in listed)
        partners = []
        for record in listed:
            connector = federation.by_code[record.network]
            cooperatives = await connector.get_cooperatives(record.partner_cooperative_ids)
            partners += [cooperatives[i].name for i in record.partner_cooperative_ids]
        assert [c["name"] for c in supplier["partnerCooperatives"]] == partners
    assert any(s["partnerCooperatives"] for s in suppliers)  # the check above bit somewhere


async def test_with_a_network_down_index_answers_carry_no_errors_only_its_staleness(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    index = services.index
    assert index is not None
    before = await data(federation, services, DIRECTORY)
    padi_only = '{ cooperatives(first: 1, filter: {networks: ["padi"]}) { edges { node { id } } } }'
    coop = (await data(federation, services, padi_only))["cooperatives"]["edges"][0]["node"]["id"]
    await networks.set_faults("padi", down="503")
    await index.sync_now()  # fails for PaDi: its copy is now stale
    query = """query Q($coop: ID!) {
      suppliers(first: 50, filter: {networks: ["padi", "tangerang"]}) {
        edges { node { nib networkCount listings { network { code } }
          partnerCooperatives { name } } }
        networks { code status syncedAt }
      }
      cooperatives(first: 100) { edges { node { id name } } networks { code status } }
      node(id: $coop) { ... on Cooperative { name network { code } } }
    }"""
    searched = await run(federation, services, DIRECTORY)
    listed = await run(federation, services, query, {"coop": coop})

    for result in (searched, listed):
        assert result.errors is None, result.errors
    assert searched.data is not None
    assert searched.data["search"]["edges"] == before["search"]["edges"]  # PaDi's kept
    statuses = {n["code"]: n["status"] for n in searched.data["search"]["networks"]}
    assert statuses == {"sejuk": "INDEXED", "tangerang": "INDEXED", "padi": "STALE"}
    answer = listed.data
    assert answer is not None
    statuses = {n["code"]: n["status"] for n in answer["suppliers"]["networks"]}
    assert statuses == {"sejuk": "INDEXED", "tangerang": "INDEXED", "padi": "STALE"}
    assert any(
        "padi" in {x["network"]["code"] for x in e["node"]["listings"]}
        for e in answer["suppliers"]["edges"]
    )
    assert {n["status"] for n in answer["cooperatives"]["networks"]} == {"INDEXED", "STALE"}
    assert "padi" in {
        from_global_id(e["node"]["id"])[1][0] for e in answer["cooperatives"]["edges"]
    }
    assert answer["node"]["network"]["code"] == "padi"


async def test_cooperatives_from_the_index_page_as_the_live_path_does(
    federation: Federation, services: Services, networks: LiveNetworks
) -> None:
    query = """query C($filter: CooperativeFilter, $after: String) {
      cooperatives(first: 7, filter: $filter, after: $after) {
        edges { node { id name type region { code } memberCount address } }
        pageInfo { hasNextPage endCursor }
      }
    }"""
    live = Services()  # no index: the cooperatives of the networks themselves

    async def every_page(on: Services, filter: dict[str, Any]) -> list[Any]:
        seen: list[Any] = []
        after = None
        while True:
            context = Context(federation, services=on, principal=token_of(BUYER))
            variables = {"filter": filter, "after": after}
            result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
            assert result.errors is None, result.errors
            page = result.data["cooperatives"] if result.data else {}
            seen += [e["node"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return seen
            after = page["pageInfo"]["endCursor"]

    def by_id(found: list[Any]) -> dict[str, Any]:
        return {c["id"]: c for c in found}

    await networks.reset_counts()
    everything = await every_page(services, {})
    assert sum((await networks.request_counts()).values()) == 0
    # The live path's cooperatives, each once, in name order (the live merge is only as
    # ordered as each network's own listing).
    assert len(by_id(everything)) == len(everything)
    assert by_id(everything) == by_id(await every_page(live, {}))
    names = [c["name"].casefold() for c in everything]
    assert names == sorted(names)
    word = everything[0]["name"].split()[-1]
    for filter in ({"regionCode": "32"}, {"type": "KONSUMEN"}, {"text": word}):
        indexed = await every_page(services, filter)
        assert indexed, filter
        assert by_id(indexed) == by_id(await every_page(live, filter)), filter
