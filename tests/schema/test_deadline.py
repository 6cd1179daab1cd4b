"""One deadline per operation: nested lookups get what the search left, not their own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.schema.conftest import run
from tests.support.live import LiveNetworks, federation_over

pytestmark = pytest.mark.asyncio(loop_scope="module")

NESTED = """{
  search(first: 60, live: true) {
    edges { node { network { code } supplier { nib name } } }
    networks { code status }
  }
}"""


async def test_a_nested_lookup_past_the_operations_deadline_times_out_beside_the_others_data(
    clean: LiveNetworks,
) -> None:
    # PaDi answers each request after 1.6 s: its search (two pages: the live path reads a
    # network's candidates to the end) fits the 4 s deadline, but its suppliers, asked
    # afterwards, would need 1.6 s more than the operation has left.
    async with federation_over(clean, deadline=4.0, request_timeout=10) as federation:
        await run(federation, "{ search(first: 1) { edges { cursor } } }")  # PaDi's token
        await clean.set_faults("padi", latency_ms=1_600)
        for _ in range(3):  # a slow machine may make PaDi's search itself miss: ask again
            result = await run(federation, NESTED)
            assert result.data is not None
            statuses = {n["code"]: n["status"] for n in result.data["search"]["networks"]}
            if statuses["padi"] == "OK":
                break
    assert statuses == {"sejuk": "OK", "tangerang": "OK", "padi": "OK"}
    products = [e["node"] for e in result.data["search"]["edges"]]
    padi = [p for p in products if p["network"]["code"] == "padi"]
    others = [p for p in products if p["network"]["code"] != "padi"]
    assert padi
    assert others
    assert all(p["supplier"] is None for p in padi)  # timed out: no time was left
    assert all(p["supplier"] is not None for p in others)  # the fast networks' data
    errors: list[dict[str, Any]] = [e.extensions or {} for e in result.errors or ()]
    assert len(errors) == len(padi)
    assert {(e["code"], e["network"]) for e in errors} == {("NETWORK_UNAVAILABLE", "padi")}
    assert all(e.path is not None and e.path[-1] == "supplier" for e in result.errors or ())
