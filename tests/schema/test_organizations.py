"""Organisations in the graph: BUMN listed from PaDi, paged and fetched by ID; each BUMN's
RFQs and spend for itself only; ``viewer`` telling a token who it acts for."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from graphql import GraphQLUnionType

from federation.hub import Federation
from federation.orders.service import OrderService
from hub.auth.organizations import OrganizationKind
from resolvers.context import Context
from resolvers.ids import to_global_id
from resolvers.principal import Principal
from tests.schema.conftest import SCHEMA, token_of
from tests.schema.test_procurement import Graph, as_bumn, as_supplier
from tests.support.live import LiveNetworks, federation_over

pytestmark = pytest.mark.asyncio(loop_scope="module")

BUMNS = """query($first: Int!, $after: String, $filter: BumnFilter) {
  bumns(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id code name sector region { code } network { code } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
} }"""
VIEWER = """{ viewer { clientId scopes organizationId organization {
  __typename
  ... on Bumn { id code name }
  ... on Cooperative { id name network { code } }
  ... on Supplier { id nib name }
} } }"""
OWN = """query($id: ID!) { node(id: $id) { ... on Bumn {
  code
  rfqs { edges { node { id title status buyerId } } }
  spend(period: {from: "2025-01", to: "2025-06"}, groupBy: MONTH) { total { amount } }
} } }"""
PANGAN = to_global_id("Bumn", "BUMN-PANGAN")


async def run(
    federation: Federation,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    who: Principal | None = None,
) -> strawberry.types.ExecutionResult:
    return await SCHEMA.execute(
        query, variable_values=variables, context_value=Context(federation, principal=who)
    )


def codes(result: strawberry.types.ExecutionResult) -> list[str]:
    return [(e.extensions or {}).get("code", "") for e in result.errors or ()]


async def test_bumns_page_through_padis_buyers_once_each(
    federation: Federation, clean: LiveNetworks
) -> None:
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        result = await run(federation, BUMNS, {"first": 5, "after": after})  # anonymous
        assert result.errors is None, result.errors
        assert result.data is not None
        page = result.data["bumns"]
        seen += [e["node"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    codes_seen = [b["code"] for b in seen]
    assert len(codes_seen) == 12  # the reference PaDi's buyers
    assert codes_seen == sorted(set(codes_seen))
    pangan = next(b for b in seen if b["code"] == "BUMN-PANGAN")
    assert pangan == {
        "id": PANGAN,
        "code": "BUMN-PANGAN",
        "name": "PT Pangan Negeri (Persero)",
        "sector": "pangan",
        "region": {"code": "31.74"},
        "network": {"code": "padi"},
    }


async def test_bumns_filter_by_sector_region_and_words(
    federation: Federation, clean: LiveNetworks
) -> None:
    async def found(**flt: str) -> list[str]:
        result = await run(federation, BUMNS, {"first": 20, "filter": flt})
        assert result.errors is None, result.errors
        assert result.data is not None
        return [e["node"]["code"] for e in result.data["bumns"]["edges"]]

    assert await found(sector="logistik") == ["BUMN-PELABUHAN", "BUMN-POS"]
    assert await found(regionCode="32") == ["BUMN-FARMASI", "BUMN-KAI", "BUMN-POS", "BUMN-PUPUK"]
    assert await found(text="kereta api") == ["BUMN-KAI"]
    assert await found(text="nothing like it") == []


async def test_bad_paging_input_is_bad_user_input(
    federation: Federation, clean: LiveNetworks
) -> None:
    for variables in ({"first": 5, "after": "not-a-cursor"}, {"first": 1000}):
        result = await run(federation, BUMNS, variables)
        assert codes(result) == ["BAD_USER_INPUT"]
    region = await run(federation, BUMNS, {"first": 5, "filter": {"regionCode": "Jakarta"}})
    assert codes(region) == ["BAD_USER_INPUT"]


async def test_padi_down_is_network_unavailable(clean: LiveNetworks) -> None:
    await clean.set_faults("padi", down="503")
    async with federation_over(clean) as fresh:  # nothing read from PaDi yet
        result = await run(fresh, BUMNS, {"first": 5})
        node = await run(fresh, "query($id: ID!) { node(id: $id) { id } }", {"id": PANGAN})
    assert codes(result) == ["NETWORK_UNAVAILABLE"]
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["network"] == "padi"
    assert result.data is None
    assert codes(node) == ["NETWORK_UNAVAILABLE"]


async def test_a_bumn_is_fetched_by_the_id_its_tokens_carry(
    federation: Federation, clean: LiveNetworks
) -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Bumn { code } } }"
    gone = to_global_id("Bumn", "BUMN-NOPE")
    result = await run(federation, query, {"ids": [PANGAN, gone]})
    assert result.errors is None, result.errors
    assert result.data == {
        "nodes": [{"__typename": "Bumn", "id": PANGAN, "code": "BUMN-PANGAN"}, None]
    }
    # The token's spelling: BUMN:<id>, as before the graph had the type.
    assert to_global_id("BUMN", "BUMN-PANGAN") == PANGAN


async def test_a_bumn_sees_its_own_open_rfqs_and_spend_and_nobody_else_does(
    federation: Federation, orders: OrderService, clean: LiveNetworks
) -> None:
    graph = Graph(federation, orders)
    rfq = await graph.publish("BUMN-PANGAN")

    own = await graph.run(as_bumn("BUMN-PANGAN"), OWN, {"id": PANGAN})
    assert own.errors is None, own.errors
    assert own.data is not None
    bumn = own.data["node"]
    assert [e["node"]["id"] for e in bumn["rfqs"]["edges"]] == [rfq["id"]]
    assert bumn["rfqs"]["edges"][0]["node"]["buyerId"] == PANGAN
    assert bumn["spend"]["total"]["amount"] > 0  # PaDi's seeded months

    for who, code in (
        (as_bumn("BUMN-ENERGI"), "FORBIDDEN"),
        (as_supplier("9100000000001"), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ):
        other = await graph.run(who, OWN, {"id": PANGAN})
        assert codes(other) == [code, code]
        assert other.data == {"node": {"code": "BUMN-PANGAN", "rfqs": None, "spend": None}}


async def test_viewer_tells_each_token_its_own_organisation(
    federation: Federation, clean: LiveNetworks
) -> None:
    as_bumn_result = await run(federation, VIEWER, who=token_of(PANGAN))
    assert as_bumn_result.errors is None, as_bumn_result.errors
    assert as_bumn_result.data is not None
    viewer = as_bumn_result.data["viewer"]
    assert viewer["clientId"] == f"client-{PANGAN}"
    assert "procurement:read" in viewer["scopes"]
    assert viewer["organizationId"] == PANGAN
    assert viewer["organization"] == {
        "__typename": "Bumn",
        "id": PANGAN,
        "code": "BUMN-PANGAN",
        "name": "PT Pangan Negeri (Persero)",
    }

    cooperative = to_global_id("Cooperative", "sejuk", "1")
    as_coop = await run(federation, VIEWER, who=token_of(cooperative, frozenset({"orders:read"})))
    assert as_coop.errors is None, as_coop.errors
    assert as_coop.data is not None
    org = as_coop.data["viewer"]["organization"]
    assert org["__typename"] == "Cooperative"
    assert org["id"] == cooperative
    assert org["network"] == {"code": "sejuk"}
    assert as_coop.data["viewer"]["scopes"] == ["orders:read"]  # no catalog:read needed

    listed = await run(federation, "{ suppliers(first: 1) { edges { node { id nib } } } }")
    assert listed.data is not None
    supplier = listed.data["suppliers"]["edges"][0]["node"]
    as_sup = await run(federation, VIEWER, who=token_of(supplier["id"]))
    assert as_sup.data is not None
    assert as_sup.data["viewer"]["organization"]["nib"] == supplier["nib"]


async def test_viewer_without_organisation_or_token(
    federation: Federation, clean: LiveNetworks
) -> None:
    unbound = await run(federation, VIEWER, who=token_of(None))
    assert unbound.errors is None, unbound.errors
    assert unbound.data is not None
    assert unbound.data["viewer"]["organizationId"] is None
    assert unbound.data["viewer"]["organization"] is None

    anonymous = await run(federation, VIEWER)
    assert codes(anonymous) == ["UNAUTHENTICATED"]
    assert anonymous.data is None


async def test_clients_bind_to_the_kinds_the_organization_union_has() -> None:
    union = SCHEMA._schema.type_map["Organization"]
    assert isinstance(union, GraphQLUnionType)
    assert {t.name for t in union.types} == {kind.value for kind in OrganizationKind}
