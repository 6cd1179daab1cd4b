"""Federated product search over three live networks (real HTTP via the connectors)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from federation.hub import Federation
from tests.schema.conftest import run
from tests.support.live import LiveNetworks, federation_over

pytestmark = pytest.mark.asyncio(loop_scope="module")

PAGE = """
query Page($text: String, $filter: ProductFilter, $first: Int!, $after: String) {
  search(text: $text, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id name network { code } category { slug } region { code }
                          price { amount currency } stock } }
    pageInfo { hasNextPage endCursor }
    networks { code status latencyMs message }
  }
}
"""


async def walk(federation: Federation, first: int, **variables: Any) -> list[dict[str, Any]]:
    """Every product of a search, page by page."""
    nodes: list[dict[str, Any]] = []
    after = None
    for _ in range(200):
        result = await run(federation, PAGE, {**variables, "first": first, "after": after})
        assert result.errors is None, result.errors
        page = result.data["search"]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("paging did not end")


async def test_one_search_answers_from_all_three_networks(
    federation: Federation, clean: LiveNetworks
) -> None:
    result = await run(federation, PAGE, {"first": 60})
    assert result.errors is None
    search = result.data["search"]
    assert {n["code"]: n["status"] for n in search["networks"]} == {
        "sejuk": "OK",
        "tangerang": "OK",
        "padi": "OK",
    }
    assert {e["node"]["network"]["code"] for e in search["edges"]} == {"sejuk", "tangerang", "padi"}
    assert all(e["node"]["price"]["currency"] == "IDR" for e in search["edges"])


async def test_text_search_ranks_the_closest_names_first(
    federation: Federation, clean: LiveNetworks
) -> None:
    result = await run(federation, PAGE, {"text": "kopi", "first": 20})
    names = [e["node"]["name"] for e in result.data["search"]["edges"]]
    assert names
    assert all("kopi" in name.lower() for name in names)


async def test_paging_to_the_end_returns_each_product_exactly_once(
    federation: Federation, clean: LiveNetworks
) -> None:
    nodes = await walk(federation, 17)
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))
    per_network = {
        code: sum(1 for n in nodes if n["network"]["code"] == code) for code in clean.urls
    }
    assert per_network == {"sejuk": 150, "tangerang": 150, "padi": 150}


async def test_filtered_paging_returns_exactly_the_matching_products(
    federation: Federation, clean: LiveNetworks
) -> None:
    everything = await walk(federation, 50)
    expected = {
        n["id"]
        for n in everything
        if n["region"]["code"].startswith("32") and n["price"]["amount"] <= 100_000
    }
    nodes = await walk(federation, 7, filter={"regionCode": "32", "maxPrice": 100_000})
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    assert expected


async def test_a_down_network_gives_partial_data_and_its_error(
    federation: Federation, clean: LiveNetworks
) -> None:
    await clean.set_faults("sejuk", down="503")
    result = await run(federation, PAGE, {"first": 30})
    search = result.data["search"]
    statuses = {n["code"]: n["status"] for n in search["networks"]}
    assert statuses == {"sejuk": "ERROR", "tangerang": "OK", "padi": "OK"}
    assert search["edges"]
    assert {e["node"]["network"]["code"] for e in search["edges"]} == {"tangerang", "padi"}
    assert result.errors is not None
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.extensions is not None
    assert error.extensions.pop("requestId")  # the log line with what the network said
    assert error.extensions == {
        "code": "NETWORK_UNAVAILABLE",
        "network": "sejuk",
        "status": "ERROR",
    }
    assert error.path == ["search"]


async def test_a_garbage_answer_is_that_networks_error(
    federation: Federation, clean: LiveNetworks
) -> None:
    await clean.set_faults("padi", malformed_rate=1)
    result = await run(federation, PAGE, {"first": 30})
    statuses = {n["code"]: n["status"] for n in result.data["search"]["networks"]}
    assert statuses["padi"] == "ERROR"
    assert statuses["sejuk"] == statuses["tangerang"] == "OK"


async def test_a_network_slower_than_the_deadline_times_out_without_holding_the_answer(
    clean: LiveNetworks,
) -> None:
    await clean.set_faults("tangerang", latency_ms=5_000)
    async with federation_over(clean, deadline=0.5, request_timeout=10) as federation:
        started = time.monotonic()
        result = await run(federation, PAGE, {"first": 10})
        elapsed = time.monotonic() - started
    statuses = {n["code"]: n["status"] for n in result.data["search"]["networks"]}
    assert statuses == {"sejuk": "OK", "tangerang": "TIMEOUT", "padi": "OK"}
    # Not a speed check: the answer must not wait for the 5 s network.
    assert elapsed < 3
    assert result.errors[0].extensions["status"] == "TIMEOUT"


async def test_paging_past_a_failed_network_loses_nothing(
    federation: Federation, clean: LiveNetworks
) -> None:
    await clean.set_faults("padi", down="503")
    first = await run(federation, PAGE, {"first": 40})
    page = first.data["search"]
    seen = [e["node"]["id"] for e in page["edges"]]
    await clean.clear_faults()
    after = page["pageInfo"]["endCursor"]
    rest: list[str] = []
    while after:
        result = await run(federation, PAGE, {"first": 50, "after": after})
        data = result.data["search"]
        rest += [e["node"]["id"] for e in data["edges"]]
        after = data["pageInfo"]["endCursor"] if data["pageInfo"]["hasNextPage"] else None
    assert len(seen + rest) == len(set(seen + rest)) == 450


async def test_networks_filtered_out_or_done_are_skipped_with_a_reason(
    federation: Federation, clean: LiveNetworks
) -> None:
    result = await run(federation, PAGE, {"first": 5, "filter": {"networks": ["padi"]}})
    networks = {n["code"]: n for n in result.data["search"]["networks"]}
    assert networks["padi"]["status"] == "OK"
    assert networks["sejuk"]["status"] == networks["tangerang"]["status"] == "SKIPPED"
    assert networks["sejuk"]["message"] == "not asked: filtered out"
    assert {e["node"]["network"]["code"] for e in result.data["search"]["edges"]} == {"padi"}
