"""Bounded parsing and validation (hub.documents): each bound refuses with its code."""

from __future__ import annotations

import pytest
from graphql import GraphQLError

from hub.documents import DocumentBounds, Documents
from hub.limits import QueryLimits
from schema import build_schema

SCHEMA = build_schema()._schema


DEFAULT_BOUNDS = DocumentBounds()


def documents(bounds: DocumentBounds = DEFAULT_BOUNDS, **options: object) -> Documents:
    return Documents(
        bounds=bounds,
        limits=QueryLimits(**options),  # type: ignore[arg-type]
        introspection=True,
        cache_bytes=1 << 20,
    )


def errors_of(
    docs: Documents, query: str, variables: dict[str, object] | None = None
) -> list[GraphQLError]:
    checked = docs.checked(SCHEMA, query)
    if checked.errors or checked.document is None:
        return list(checked.errors)
    return docs.limit_errors(SCHEMA, checked.document, None, variables)


def code(docs: Documents, query: str, variables: dict[str, object] | None = None) -> str | None:
    errors = errors_of(docs, query, variables)
    return str((errors[0].extensions or {})["code"]) if errors else None


@pytest.mark.parametrize(
    ("bounds", "under", "over", "expected"),
    [
        (
            DocumentBounds(max_chars=30),
            "{ networks { code } }",
            "{ networks { code name } }      ",
            "QUERY_TOO_LARGE",
        ),
        (
            DocumentBounds(max_tokens=6),
            "{ networks { code } }",
            "{ networks { code name } }",
            "TOO_MANY_TOKENS",
        ),
        (
            DocumentBounds(max_fields=2),
            "{ networks { code } }",
            "{ networks { code name } }",
            "TOO_MANY_FIELDS",
        ),
        (
            DocumentBounds(max_directives=1),
            "{ networks { code @skip(if: false) } }",
            "{ networks { code @skip(if: false) name @skip(if: false) } }",
            "TOO_MANY_DIRECTIVES",
        ),
    ],
)
def test_each_bound_just_under_and_just_over(
    bounds: DocumentBounds, under: str, over: str, expected: str
) -> None:
    assert code(documents(bounds), under) is None
    assert code(documents(bounds), over) == expected


def test_a_directive_flood_is_refused_while_read() -> None:
    flood = "{ networks { code" + " @skip(if: true)" * 58_000 + " } }"
    assert code(documents(), flood) == "QUERY_TOO_LARGE"
    unlimited_length = DocumentBounds(max_chars=10**7)
    assert code(documents(unlimited_length), flood) in {"TOO_MANY_TOKENS", "TOO_MANY_DIRECTIVES"}


def test_comments_count_as_tokens() -> None:
    commented = "{ networks { code } }" + "\n# a comment" * 2000
    assert code(documents(DocumentBounds(max_chars=10**7)), commented) == "TOO_MANY_TOKENS"


def test_syntax_and_validation_errors_have_their_codes() -> None:
    assert code(documents(), "{ networks { code }") == "GRAPHQL_PARSE_FAILED"
    assert code(documents(), "{ networks { nope } }") == "GRAPHQL_VALIDATION_FAILED"


def test_suggestions_only_with_introspection() -> None:
    misspelt = '{ serch(text: "beras") { totalCount } }'
    open_hub = Documents(
        bounds=DocumentBounds(), limits=QueryLimits(), introspection=True, cache_bytes=1 << 20
    )
    closed = Documents(
        bounds=DocumentBounds(), limits=QueryLimits(), introspection=False, cache_bytes=1 << 20
    )
    assert "Did you mean" in errors_of(open_hub, misspelt)[0].message
    message = errors_of(closed, misspelt)[0].message
    assert "Did you mean" not in message
    assert "search" not in message.replace("serch", "")


def test_introspection_is_refused_without_it() -> None:
    closed = Documents(
        bounds=DocumentBounds(), limits=QueryLimits(), introspection=False, cache_bytes=1 << 20
    )
    assert code(closed, "{ __schema { queryType { name } } }") == "GRAPHQL_VALIDATION_FAILED"


PAGE = "query($n: Int!) { search(first: $n) { edges { node { name } } } }"  # cost 2 + 2n


@pytest.mark.parametrize("n", [100, 100.0])
def test_cost_reads_the_coerced_variable(n: object) -> None:
    # 100.0 is an Int to GraphQL: execution would read 100, so the cost must too.
    assert code(documents(max_cost=201), PAGE, {"n": n}) == "QUERY_TOO_COMPLEX"
    assert code(documents(max_cost=202), PAGE, {"n": n}) is None


def test_cost_reads_a_variable_default() -> None:
    query = "query($n: Int = 100) { search(first: $n) { edges { node { name } } } }"
    assert code(documents(max_cost=201), query) == "QUERY_TOO_COMPLEX"


def test_variables_that_do_not_coerce_are_left_to_execution() -> None:
    assert code(documents(), PAGE, {"n": "many"}) is None


@pytest.mark.parametrize(
    "query",
    [
        "{" + " networks { code }" * 500 + " }",
        "{"
        + "".join(f" ...F{i}" for i in range(90))
        + " }"
        + "".join(f" fragment F{i} on Query {{ networks {{ code }} }}" for i in range(90)),
        "{" + " ... on Query { networks { code } }" * 120 + " }",
    ],
)
def test_repeated_selections_are_refused_before_the_overlap_check(query: str) -> None:
    unbounded = DocumentBounds(max_chars=10**7, max_tokens=10**6, max_fields=10**6)
    assert code(documents(unbounded), query) == "QUERY_TOO_COMPLEX"


def test_a_field_selected_a_few_times_through_fragments_passes() -> None:
    query = (
        "{ search(first: 2) { edges { node { id name ...A ...B } } } } "
        "fragment A on Product { id name } fragment B on Product { id price { amount } }"
    )
    assert code(documents(), query) is None


def test_the_cache_stays_within_its_bytes() -> None:
    docs = Documents(
        bounds=DocumentBounds(), limits=QueryLimits(), introspection=True, cache_bytes=64 * 1024
    )
    for i in range(500):
        docs.checked(SCHEMA, f"query Q{i} {{ networks {{ code name }} }}")
    assert 0 < docs.cached_bytes <= 64 * 1024
    remembered = docs.checked(SCHEMA, "query Q499 { networks { code name } }")
    assert docs.checked(SCHEMA, "query Q499 { networks { code name } }") is remembered


def test_remembered_limits_follow_the_page_size() -> None:
    docs = documents(max_cost=150)
    assert [code(docs, PAGE, {"n": n}) for n in (50, 100, 50, 100.0)] == [
        None,
        "QUERY_TOO_COMPLEX",
        None,
        "QUERY_TOO_COMPLEX",
    ]
