"""Bad arguments get BAD_USER_INPUT and a message a person can act on, never a crash."""

from __future__ import annotations

import pytest

from federation.hub import Federation
from resolvers.ids import to_global_id
from tests.schema.conftest import run
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEARCH = "query S($first: Int!, $after: String, $filter: ProductFilter) { search(first: $first, after: $after, filter: $filter) { edges { cursor } pageInfo { endCursor } } }"


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        ({"first": -1}, "`first` must be 0 or more"),
        ({"first": 1000}, "`first` must be at most 100"),
        ({"first": 5, "after": "not-a-cursor"}, "not a cursor"),
        ({"first": 5, "after": "eyJ2IjoxfQ"}, "different query"),
        ({"first": 5, "filter": {"networks": ["jakarta"]}}, "unknown network jakarta"),
        ({"first": 5, "filter": {"category": "emas"}}, "unknown category 'emas'"),
        ({"first": 5, "filter": {"regionCode": "Bandung"}}, "not a Kemendagri code"),
        ({"first": 5, "filter": {"minPrice": 10, "maxPrice": 5}}, "`minPrice` is above"),
        ({"first": "ten"}, "Int cannot represent"),
        ({"first": 5, "filter": {"inStock": "yes"}}, "Boolean cannot represent"),
    ],
)
async def test_bad_search_arguments(
    federation: Federation, clean: LiveNetworks, variables: dict[str, object], says: str
) -> None:
    result = await run(federation, SEARCH, variables)
    assert result.errors is not None
    assert len(result.errors) == 1
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert says in result.errors[0].message
    assert not result.data or result.data.get("search") is None


async def test_a_cursor_of_another_query_is_refused(
    federation: Federation, clean: LiveNetworks
) -> None:
    page = await run(federation, SEARCH, {"first": 3})
    cursor = page.data["search"]["pageInfo"]["endCursor"]
    other = await run(
        federation, SEARCH, {"first": 3, "after": cursor, "filter": {"category": "kopi"}}
    )
    assert other.errors[0].extensions == {"code": "BAD_USER_INPUT"}


@pytest.mark.parametrize(
    "bad_id",
    ["%%%", "bm90LWFuLWlk", to_global_id("Product", "sejuk"), to_global_id("Invoice", "1")],
)
async def test_malformed_global_ids(
    federation: Federation, clean: LiveNetworks, bad_id: str
) -> None:
    result = await run(federation, "query N($id: ID!) { node(id: $id) { id } }", {"id": bad_id})
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT"}


async def test_unknown_fields_are_refused_before_any_network_is_asked(
    federation: Federation, clean: LiveNetworks
) -> None:
    result = await run(federation, "{ search(first: 2) { edges { node { colour } } } }")
    assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert sum((await clean.request_counts()).values()) == 0
