"""Query limits and document bounds on the public schema: each just under and just over,
before any network call."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
from graphql import GraphQLError, get_introspection_query
from starlette.applications import Starlette

from hub.documents import DocumentBounds, Documents
from hub.limits import QueryLimits
from hub.settings import load_settings
from schema import build_schema
from tests.hub.conftest import request_total

HubFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]

NEW = "application/graphql-response+json"
LEGACY = "application/json"
SCHEMA = build_schema()

PAGE = "query($n: Int!) { search(first: $n) { edges { node { name } } } }"  # cost 2 + 2n


UNBOUNDED = DocumentBounds(
    max_chars=10**7, max_tokens=10**6, max_fields=10**6, max_directives=10**6
)


def refusal(
    limits: QueryLimits,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    operation_name: str | None = None,
    bounds: DocumentBounds = UNBOUNDED,
    introspection: bool = True,
) -> str | None:
    """The code ``query`` is refused with under ``limits``, or None when it passes."""
    errors = messages(limits, query, variables, operation_name, bounds, introspection)
    return str((errors[0].extensions or {})["code"]) if errors else None


def messages(
    limits: QueryLimits,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    bounds: DocumentBounds = UNBOUNDED,
    introspection: bool = True,
) -> list[GraphQLError]:
    """What ``hub.documents`` says of ``query``: its errors, none when it may run."""
    documents = Documents(
        bounds=bounds, limits=limits, introspection=introspection, cache_bytes=1 << 20
    )
    checked = documents.checked(SCHEMA._schema, query)
    if checked.errors or checked.document is None:
        return list(checked.errors)
    return documents.limit_errors(SCHEMA._schema, checked.document, operation_name, variables)


# --- the measures, on the public schema ------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "query", "code"),
    [
        (4, "{ search(first: 1) { edges { node { name } } } }", None),
        (4, "{ search(first: 1) { edges { node { price { amount } } } } }", "QUERY_TOO_DEEP"),
        (
            4,
            "{ search { ...E } } fragment E on ProductConnection { edges { node { name } } }",
            None,
        ),
        (
            4,
            "{ search { ...E } } fragment E on ProductConnection { edges { node { ...P } } } "
            "fragment P on Product { price { amount } }",
            "QUERY_TOO_DEEP",
        ),
        (3, "{ search { edges { ... on ProductEdge { node { id } } } } }", "QUERY_TOO_DEEP"),
    ],
)
def test_depth(limit: int, query: str, code: str | None) -> None:
    assert refusal(QueryLimits(max_depth=limit), query) == code


@pytest.mark.parametrize(
    ("n", "code"), [(20, None), (21, "QUERY_TOO_COMPLEX"), (0, None), (10**9, "QUERY_TOO_COMPLEX")]
)
def test_cost_counts_page_sizes_from_variables(n: int, code: str | None) -> None:
    assert refusal(QueryLimits(max_cost=42), PAGE, {"n": n}) == code


def test_cost_uses_the_schema_default_page_size() -> None:
    query = "{ search { edges { node { name } } } }"  # first defaults to 20: 2 + 2 * 20
    assert refusal(QueryLimits(max_cost=42), query) is None
    assert refusal(QueryLimits(max_cost=41), query) == "QUERY_TOO_COMPLEX"


def test_cost_of_a_literal_and_a_variable_default_page_size() -> None:
    literal = "{ search(first: 20) { edges { node { name } } } }"
    assert refusal(QueryLimits(max_cost=42), literal) is None
    with_default = "query($n: Int = 21) { search(first: $n) { edges { node { name } } } }"
    assert refusal(QueryLimits(max_cost=42), with_default) == "QUERY_TOO_COMPLEX"
    assert refusal(QueryLimits(max_cost=42), with_default, {"n": 20}) is None


@pytest.mark.parametrize(("size", "code"), [(10, None), (11, "QUERY_TOO_COMPLEX")])
def test_cost_of_lists_without_first_uses_the_default_list_size(
    size: int, code: str | None
) -> None:
    query = "{ networks { code name } }"  # 1 + 2 * default_list_size
    assert refusal(QueryLimits(max_cost=21, default_list_size=size), query) == code


def test_cost_multiplies_nested_lists() -> None:
    query = "{ search(first: 10) { edges { node { supplier { listings { name } } } } } }"
    # search 1, edges 1, node 10, supplier 10, listings 10, name 10 * 10 (default list size)
    assert refusal(QueryLimits(max_cost=132), query) is None
    assert refusal(QueryLimits(max_cost=131), query) == "QUERY_TOO_COMPLEX"


@pytest.mark.parametrize(("count", "code"), [(3, None), (4, "TOO_MANY_ALIASES")])
def test_aliases(count: int, code: str | None) -> None:
    fields = " ".join(f"a{i}: code" for i in range(count))
    assert refusal(QueryLimits(max_aliases=3), f"{{ networks {{ {fields} }} }}") == code


def test_aliases_in_fragments_count_each_time_they_are_spread() -> None:
    twice = (
        "{ networks { ...N } search { edges { node { network { ...N } } } } } "
        "fragment N on Network { a: code b: code }"
    )
    assert refusal(QueryLimits(max_aliases=4), twice) is None
    assert refusal(QueryLimits(max_aliases=3), twice) == "TOO_MANY_ALIASES"


@pytest.mark.parametrize(("count", "code"), [(3, None), (4, "TOO_MANY_ROOT_FIELDS")])
def test_root_fields(count: int, code: str | None) -> None:
    fields = " ".join(f"n{i}: networks {{ code }}" for i in range(count))
    assert refusal(QueryLimits(max_root_fields=3), f"{{ {fields} }}") == code


def test_root_fields_through_fragments() -> None:
    query = "{ ...Q networks { code } } fragment Q on Query { a: networks { code } b: networks { code } }"
    assert refusal(QueryLimits(max_root_fields=2), query) == "TOO_MANY_ROOT_FIELDS"


def test_graphiql_introspection_passes_the_defaults() -> None:
    assert refusal(QueryLimits(), get_introspection_query(descriptions=True)) is None


def test_nested_introspection_is_bounded() -> None:
    nested = '{ __type(name: "Query") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }'
    # graphql-core's own MaxIntrospectionDepthRule refuses it before the depth limit would.
    assert messages(QueryLimits(max_depth=8), nested)[0].message == (
        "Maximum introspection depth exceeded"
    )


def test_fragment_cycles_end_the_walk() -> None:
    query = "{ ...A } fragment A on Query { ...B networks { code } } fragment B on Query { ...A }"
    assert refusal(QueryLimits(), query) == "GRAPHQL_VALIDATION_FAILED"  # the spec's rule


def test_fragment_bombs_are_too_complex() -> None:
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30)]
    query = "{ ...F0 } " + " ".join(fragments) + " fragment F30 on Query { __typename }"
    assert refusal(QueryLimits(max_root_fields=10**9), query) == "QUERY_TOO_COMPLEX"


def test_only_the_named_operation_is_measured() -> None:
    query = "query Small { networks { code } } query Big { search(first: 99) { edges { node { name } } } }"
    assert refusal(QueryLimits(max_cost=50), query, operation_name="Small") is None
    assert refusal(QueryLimits(max_cost=50), query, operation_name="Big") == "QUERY_TOO_COMPLEX"


def test_unparsable_documents_are_parse_failures() -> None:
    assert refusal(QueryLimits(), "{ search(") == "GRAPHQL_PARSE_FAILED"


# --- over HTTP, on the public schema over the reference networks -----------------------


async def post(client: httpx.AsyncClient, body: Any, accept: str = NEW) -> httpx.Response:
    return await client.post(
        "/graphql",
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", "accept": accept},
    )


def refused(response: httpx.Response, code: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert error["message"]


SEARCH = "{{ search(first: 2) {{ edges {{ node {{ {fields} }} }} }} }}"

CASES = [
    # setting, value, just under, just over, code
    (
        "HUB_MAX_DEPTH",
        "4",
        {"query": SEARCH.format(fields="name")},
        {"query": SEARCH.format(fields="price { amount }")},
        "QUERY_TOO_DEEP",
    ),
    (
        "HUB_MAX_COST",
        "42",
        {"query": PAGE, "variables": {"n": 20}},
        {"query": PAGE, "variables": {"n": 21}},
        "QUERY_TOO_COMPLEX",
    ),
    (
        "HUB_MAX_ALIASES",
        "2",
        {"query": SEARCH.format(fields="a: name b: name")},
        {"query": SEARCH.format(fields="a: name b: name c: name")},
        "TOO_MANY_ALIASES",
    ),
    (
        "HUB_MAX_ROOT_FIELDS",
        "2",
        {"query": "{ networks { code } search(first: 1) { edges { node { name } } } }"},
        {"query": "{ networks { code } __typename search(first: 1) { edges { node { name } } } }"},
        "TOO_MANY_ROOT_FIELDS",
    ),
]


@pytest.mark.parametrize(("variable", "value", "under", "over", "code"), CASES)
async def test_each_limit_over_http(
    hub_over: HubFactory,
    networks: dict[str, Starlette],
    transports: dict[str, httpx.AsyncBaseTransport],
    variable: str,
    value: str,
    under: dict[str, Any],
    over: dict[str, Any],
    code: str,
) -> None:
    async with hub_over(load_settings({variable: value}), transports=transports) as client:
        before = await request_total(networks)
        ok = await post(client, under)
        assert ok.status_code == 200, ok.text
        assert "errors" not in ok.json(), ok.text
        reached = await request_total(networks)
        assert reached > before
        refused(await post(client, over), code)
        legacy = await post(client, over, accept=LEGACY)
        refused(legacy, code, status=200)
        assert await request_total(networks) == reached


async def test_batch_size(
    hub_over: HubFactory,
    networks: dict[str, Starlette],
    transports: dict[str, httpx.AsyncBaseTransport],
) -> None:
    one = {"query": SEARCH.format(fields="name")}
    settings = load_settings({"HUB_MAX_BATCH_SIZE": "2"})
    async with hub_over(settings, transports=transports) as client:
        ok = await post(client, [one, {"query": "{ networks { code } }"}])
        assert ok.status_code == 200, ok.text
        first, second = ok.json()
        assert len(first["data"]["search"]["edges"]) == 2
        assert [n["code"] for n in second["data"]["networks"]] == ["sejuk", "tangerang", "padi"]
        reached = await request_total(networks)
        refused(await post(client, [one, one, one]), "BATCH_TOO_LARGE")
        assert await request_total(networks) == reached


async def test_batches_can_be_turned_off(make_hub: HubFactory) -> None:
    async with make_hub(load_settings({"HUB_MAX_BATCH_SIZE": "0"})) as client:
        response = await post(client, [{"query": "{ __typename }"}])
        refused(response, "BATCH_TOO_LARGE")
        assert "off" in response.json()["errors"][0]["message"]


async def test_each_batched_operation_is_limited_and_answered_alone(make_hub: HubFactory) -> None:
    settings = load_settings({"HUB_MAX_ALIASES": "1"})
    async with make_hub(settings) as client:
        response = await post(
            client,
            [
                {"query": '{ a: echo(text: "x") }'},
                {"query": '{ a: echo(text: "x") b: echo(text: "y") }'},
                {"query": "{ broken }"},
                {"query": "{ nope }"},
            ],
        )
    assert response.status_code == 200
    ok, too_many, failed, invalid = response.json()
    assert ok == {"data": {"a": "x"}}
    assert "data" not in too_many
    assert too_many["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"
    assert failed["data"] is None
    assert "data" not in invalid


async def test_body_size(
    hub_over: HubFactory,
    networks: dict[str, Starlette],
    transports: dict[str, httpx.AsyncBaseTransport],
) -> None:
    query = SEARCH.format(fields="name")
    size = len(json.dumps({"query": query}))
    settings = load_settings({"HUB_MAX_BODY_BYTES": str(size)})
    async with hub_over(settings, transports=transports) as client:
        assert (await post(client, {"query": query})).status_code == 200
        reached = await request_total(networks)
        over = await post(client, {"query": query + " "})
        assert over.status_code == 413
        assert await request_total(networks) == reached


async def test_the_defaults_let_graphiql_and_the_readme_query_through(
    hub_over: HubFactory, transports: dict[str, httpx.AsyncBaseTransport]
) -> None:
    readme = (
        '{ search(text: "beras", first: 5) { edges { node { name price { amount currency } '
        "network { code } supplier { name nib } } } networks { code status latencyMs } } }"
    )
    async with hub_over(load_settings({}), transports=transports) as client:
        for query in (readme, get_introspection_query(descriptions=True)):
            response = await post(client, {"query": query})
            assert response.status_code == 200, response.text
            assert "errors" not in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "{" + "a{" * 400 + "b" + "}" * 400 + "}",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        "{ search(",
    ],
)
async def test_hostile_documents_are_clean_request_errors(hub_over: HubFactory, query: str) -> None:
    async with hub_over(load_settings({})) as client:
        response = await post(client, {"query": query})
    assert response.status_code == 400, response.text
    assert "data" not in response.json()


def test_long_documents_are_measured_too() -> None:
    padding = "#" + "x" * 20_000 + "\n"
    fields = " ".join(f"n{i}: networks {{ code }}" for i in range(4))
    assert refusal(QueryLimits(max_root_fields=4), f"{padding}{{ {fields} }}") is None
    assert refusal(QueryLimits(max_root_fields=3), f"{padding}{{ {fields} }}") == (
        "TOO_MANY_ROOT_FIELDS"
    )
