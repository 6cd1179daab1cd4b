"""Tenant rules derived from the schema: every root field, organisation argument and node type
has an access rule, and the tenant tests are generated from those rules.

The walk (``tests/schema/tenancy.py``) reads the built schema, so a new root field, a new
filter naming an organisation, or a new node type without a rule fails here by itself.
The generated requests need no hub database: a rule refuses before any resolver runs, and
a resolver that did run would find no database and fail with another code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import strawberry

from federation.hub import Federation, FederationLimits
from resolvers import access
from resolvers.context import Context
from resolvers.ids import to_global_id
from resolvers.principal import Principal
from schema.errors import code_for
from schema.node import Node
from tests.schema.conftest import SCHEMA
from tests.schema.tenancy import (
    RootField,
    argument_paths,
    organisation,
    problems,
    request,
    root_fields,
)

ASYNC = pytest.mark.asyncio(loop_scope="module")

ROOTS = root_fields(SCHEMA._schema)
OWNED = [r for r in ROOTS if r.rule.tenancy is access.Tenancy.OWNED]
PUBLIC = [r for r in ROOTS if r.rule.tenancy is access.Tenancy.PUBLIC and not r.rule.own]
OWN_PATHS = [(r, path) for r in ROOTS for path in r.rule.own]
EVERY_SCOPE = frozenset(
    {
        access.CATALOG_READ,
        access.ORDERS_READ,
        access.ORDERS_WRITE,
        access.GROUPBUY_WRITE,
        access.PROCUREMENT_READ,
        access.PROCUREMENT_WRITE,
        access.ANALYTICS_READ,
    }
)
REFUSED = {"UNAUTHENTICATED", "FORBIDDEN"}
# An ID of every type node/nodes returns, and whose data it is.
NODE_IDS = {
    "Product": to_global_id("Product", "sejuk", "1"),
    "Supplier": to_global_id("Supplier", "9100000000001"),
    "Cooperative": to_global_id("Cooperative", "sejuk", "1"),
    "Network": to_global_id("Network", "sejuk"),
    "GroupBuy": to_global_id("GroupBuy", "g1"),
    "Order": to_global_id("Order", "o1"),
    "Rfq": to_global_id("Rfq", "r1"),
    "Quote": to_global_id("Quote", "r1", "q1"),
    "Bumn": to_global_id("Bumn", "BUMN-A"),
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def federation() -> AsyncIterator[Federation]:
    """A federation of no networks: the rules decide before anything is asked."""
    made = Federation([], FederationLimits(deadline=1.0))
    try:
        yield made
    finally:
        await made.aclose()


def token(org: str | None) -> Principal:
    return Principal(f"client-{org}", org, EVERY_SCOPE, "test")


async def answer(
    federation: Federation, root: RootField, who: Principal | None, values: dict[str, Any]
) -> strawberry.types.ExecutionResult:
    """The result of a request made up for ``root`` (a subscription's first event)."""
    query, variables = request(root, values)
    context = Context(federation, principal=who)
    if root.operation != "subscription":
        return await SCHEMA.execute(query, variable_values=variables, context_value=context)
    stream = await SCHEMA.subscribe(query, variable_values=variables, context_value=context)
    if isinstance(stream, strawberry.types.ExecutionResult):
        return stream
    try:
        return await anext(stream)
    finally:
        await stream.aclose()


def codes(result: strawberry.types.ExecutionResult) -> list[str]:
    return [(e.extensions or {}).get("code") or code_for(e) for e in result.errors or ()]


def nothing(result: strawberry.types.ExecutionResult) -> bool:
    return not any((result.data or {}).values())


# ---- the walk ---------------------------------------------------------------------------


def test_every_root_field_organisation_argument_and_node_type_has_a_rule() -> None:
    assert problems(SCHEMA._schema) == []
    # The walk found something of each kind to generate tests from.
    assert all((ROOTS, OWNED, PUBLIC, OWN_PATHS))


@strawberry.type(name="Ledger", description="A ledger nobody declared a rule for.")
class _Ledger(Node):
    total: int = strawberry.field(description="Its total.")


@strawberry.type(name="Query")
class _LeakyQuery:
    @strawberry.field(extensions=[access.catalogue()])
    def offers(self, seller_id: strawberry.ID | None = None) -> int:
        return 0

    @strawberry.field
    def ledger(self) -> _Ledger | None:
        return None


def test_the_walk_fails_for_a_field_argument_or_node_type_without_a_rule() -> None:
    found = problems(strawberry.Schema(query=_LeakyQuery, types=[_Ledger])._schema)
    assert found == [
        "query.offers(sellerId) names an organisation without a rule",
        "query.ledger: 0 access rules, not one",
        "node type Ledger has no access rule",
    ]


# ---- tenant tests generated from the walk -----------------------------------------------


@pytest.mark.parametrize("root", OWNED, ids=lambda r: r.label)
@ASYNC
async def test_an_anonymous_request_is_unauthenticated_on_every_owned_root_field(
    federation: Federation, root: RootField
) -> None:
    result = await answer(federation, root, None, {})
    assert codes(result) == ["UNAUTHENTICATED"]
    assert nothing(result)


@pytest.mark.parametrize(("root", "path"), OWN_PATHS, ids=lambda x: getattr(x, "label", x))
@ASYNC
async def test_an_argument_naming_another_organisation_never_answers(
    federation: Federation, root: RootField, path: str
) -> None:
    described = argument_paths(root.field)[path]
    a, b = organisation(described, "A"), organisation(described, "B")

    as_b = await answer(federation, root, token(b), {path: a})
    assert codes(as_b) == ["FORBIDDEN"]
    assert path in as_b.errors[0].message  # type: ignore[index]
    assert nothing(as_b)
    anonymous = await answer(federation, root, None, {path: a})
    assert codes(anonymous) == ["UNAUTHENTICATED"]
    assert nothing(anonymous)
    unbound = await answer(federation, root, token(None), {path: a})
    assert codes(unbound) == ["FORBIDDEN"]
    # A names itself: the rule lets it through (the resolver then finds no database).
    as_a = await answer(federation, root, token(a), {path: a})
    assert not REFUSED & set(codes(as_a)), as_a.errors


@pytest.mark.parametrize("root", PUBLIC, ids=lambda r: r.label)
@ASYNC
async def test_public_root_fields_answer_anonymous_requests(
    federation: Federation, root: RootField
) -> None:
    result = await answer(federation, root, None, {})
    assert not REFUSED & set(codes(result)), result.errors


@pytest.mark.parametrize("type_name", sorted(access.NODE_RULES))
@ASYNC
async def test_node_and_nodes_hold_each_type_to_its_rule(
    federation: Federation, type_name: str
) -> None:
    rule = access.NODE_RULES[type_name]
    context = Context(federation)
    one = await SCHEMA.execute(
        "query($id: ID!) { node(id: $id) { id } }",
        variable_values={"id": NODE_IDS[type_name]},
        context_value=context,
    )
    many = await SCHEMA.execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        variable_values={"ids": [NODE_IDS["Network"], NODE_IDS[type_name]]},
        context_value=Context(federation),
    )
    if rule.tenancy is access.Tenancy.OWNED:
        assert codes(one) == codes(many) == ["UNAUTHENTICATED"]
        assert nothing(one)
        assert nothing(many)
    else:
        assert not REFUSED & set(codes(one) + codes(many))
    without_scope = Principal("c", NODE_IDS["Cooperative"], EVERY_SCOPE - {rule.scope}, "t")
    refused = await SCHEMA.execute(
        "query($id: ID!) { node(id: $id) { id } }",
        variable_values={"id": NODE_IDS[type_name]},
        context_value=Context(federation, principal=without_scope),
    )
    assert codes(refused) == ["FORBIDDEN"]
    assert rule.scope in refused.errors[0].message  # type: ignore[index]
