"""/graphql speaks GraphQL over HTTP: methods, media types, status codes, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
import strawberry

from hub.media import choose_response_type, prefers_html
from hub.settings import load_settings

HubFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]

NEW = "application/graphql-response+json"
LEGACY = "application/json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


async def post(
    client: httpx.AsyncClient,
    body: Any,
    *,
    accept: str | None = NEW,
    content_type: str | None = "application/json",
) -> httpx.Response:
    headers = {}
    if accept is not None:
        headers["accept"] = accept
    if content_type is not None:
        headers["content-type"] = content_type
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = client.build_request("POST", "/graphql", content=content, headers=headers)
    if accept is None:
        request.headers.pop("accept", None)
    return await client.send(request)


def bad_request(response: httpx.Response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "Traceback" not in response.text
    message: str = error["message"]
    return message


# --- media types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, NEW),
        ("", NEW),
        (NEW, NEW),
        (LEGACY, LEGACY),
        ("*/*", LEGACY),
        ("application/*", LEGACY),
        (f"{NEW}, {LEGACY};q=0.9", NEW),
        (f"{NEW}; charset=utf-8, {LEGACY}; charset=utf-8", NEW),
        (f"{LEGACY}, {NEW}", LEGACY),
        (f"{LEGACY};q=0.5, {NEW}", NEW),
        (f"{NEW};q=0, */*", LEGACY),
        ("text/html", None),
        ("application/xml, text/plain;q=0.5", None),
    ],
)
def test_accept_negotiation(accept: str | None, expected: str | None) -> None:
    assert choose_response_type(accept) == expected


def test_html_only_when_a_browser_prefers_it() -> None:
    assert prefers_html(BROWSER)
    assert prefers_html("text/html")
    assert not prefers_html(None)
    assert not prefers_html("*/*")
    assert not prefers_html(f"{NEW}, text/html;q=0.5")


async def test_post_query_answers_graphql_response_json(hub: httpx.AsyncClient) -> None:
    response = await post(
        hub,
        {
            "query": "query Q($t: String!) { echo(text: $t) }",
            "variables": {"t": "halo"},
            "operationName": "Q",
            "extensions": {"anything": 1},
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{NEW}; charset=utf-8"
    assert response.json() == {"data": {"echo": "halo"}}


async def test_no_accept_header_gets_the_new_media_type(hub: httpx.AsyncClient) -> None:
    response = await post(hub, {"query": '{ echo(text: "x") }'}, accept=None)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(NEW)


async def test_legacy_json_client(hub: httpx.AsyncClient) -> None:
    response = await post(hub, {"query": '{ echo(text: "x") }'}, accept=LEGACY)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{LEGACY}; charset=utf-8"


async def test_unacceptable_accept_is_406(hub: httpx.AsyncClient) -> None:
    response = await post(hub, {"query": "{ __typename }"}, accept="application/xml")
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


# --- status codes by media type ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"query": "{"}, "Syntax Error"),
        ({"query": "{ nope }"}, "nope"),
        ({"query": "fragment F on Query { __typename }"}, "No operation"),
        ({"query": "query A { __typename }", "operationName": "Z"}, "'Z'"),
        ({"query": "query Q($t: String!) { echo(text: $t) }", "variables": {"t": 5}}, "$t"),
        ({"query": "query Q($t: String!) { echo(text: $t) }"}, "$t"),
        ({"query": ""}, "empty"),
        ({"query": "subscription { x }"}, ""),
    ],
)
async def test_request_errors_are_400_or_legacy_200(
    hub: httpx.AsyncClient, body: dict[str, Any], fragment: str
) -> None:
    new = await post(hub, body, accept=NEW)
    assert new.status_code == 400, new.text
    assert "data" not in new.json()
    assert fragment in new.json()["errors"][0]["message"]
    legacy = await post(hub, body, accept=LEGACY)
    assert legacy.status_code == 200, legacy.text
    assert "data" not in legacy.json()
    assert legacy.json()["errors"]


async def test_field_error_after_execution_began_is_200(hub: httpx.AsyncClient) -> None:
    response = await post(hub, {"query": "{ broken }"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["broken"]


async def test_mutation_over_post(hub: httpx.AsyncClient) -> None:
    response = await post(hub, {"query": "mutation { ping }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"ping": "pong"}}


async def test_context_carries_the_federation(hub: httpx.AsyncClient) -> None:
    response = await post(hub, {"query": "{ codes }"})
    assert response.json() == {"data": {"codes": ["sejuk", "tangerang", "padi"]}}


# --- GET ---------------------------------------------------------------------------------


async def test_get_query_with_json_variables(hub: httpx.AsyncClient) -> None:
    params = {
        "query": "query Q($t: String!) { echo(text: $t) }",
        "variables": json.dumps({"t": "dari GET"}),
        "operationName": "Q",
    }
    response = await hub.get("/graphql", params=params, headers={"accept": NEW})
    assert response.status_code == 200
    assert response.json() == {"data": {"echo": "dari GET"}}


async def test_get_empty_operation_name_is_no_operation_name(hub: httpx.AsyncClient) -> None:
    params = {"query": "{ __typename }", "operationName": ""}
    response = await hub.get("/graphql", params=params, headers={"accept": NEW})
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "query",
    ["mutation { ping }", "query A { __typename } mutation B { ping }"],
)
async def test_mutation_over_get_is_405(hub: httpx.AsyncClient, query: str) -> None:
    params = {"query": query}
    if "mutation B" in query:
        params["operationName"] = "B"
    response = await hub.get("/graphql", params=params, headers={"accept": NEW})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "POST" in response.json()["errors"][0]["message"]


async def test_get_names_the_query_of_a_mixed_document(hub: httpx.AsyncClient) -> None:
    params = {"query": "query A { __typename } mutation B { ping }", "operationName": "A"}
    response = await hub.get("/graphql", params=params, headers={"accept": NEW})
    assert response.status_code == 200


async def test_get_without_query_is_400(hub: httpx.AsyncClient) -> None:
    response = await hub.get("/graphql", headers={"accept": NEW})
    assert "no query" in bad_request(response)


async def test_get_variables_not_json_is_400(hub: httpx.AsyncClient) -> None:
    params = {"query": "{ __typename }", "variables": "{nope"}
    response = await hub.get("/graphql", params=params, headers={"accept": LEGACY})
    assert "variables" in bad_request(response)


async def test_other_methods_are_405(hub: httpx.AsyncClient) -> None:
    response = await hub.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


# --- malformed requests ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"NONSENSE", "not valid JSON"),
        (b'{"query":', "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"", "empty"),
        (b"[1, 2]", "JSON object"),
        (b'"{ __typename }"', "JSON object"),
        (b'{"qeury": "{ __typename }"}', "no query"),
        (b'{"query": null}', "no query"),
        (b'{"query": 1}', "must be a string"),
        (b'{"query": ["{ __typename }"]}', "must be a string"),
        (b'{"query": "{ __typename }", "variables": [7]}', "variables"),
        (b'{"query": "{ __typename }", "variables": "{}"}', "variables"),
        (b'{"query": "{ __typename }", "operationName": 3}', "operationName"),
        (b'{"query": "{ __typename }", "extensions": true}', "extensions"),
    ],
)
@pytest.mark.parametrize("accept", [NEW, LEGACY])
async def test_malformed_requests_are_400(
    hub: httpx.AsyncClient, body: bytes, fragment: str, accept: str
) -> None:
    response = await post(hub, body, accept=accept)
    assert fragment in bad_request(response)
    assert response.headers["content-type"].startswith(accept)


async def test_null_optional_parameters_are_allowed(hub: httpx.AsyncClient) -> None:
    body = {"query": "{ __typename }", "variables": None, "operationName": None, "extensions": None}
    response = await post(hub, body)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/graphql", "application/json; charset=latin-1"]
)
async def test_post_needs_json_content_type(
    hub: httpx.AsyncClient, content_type: str | None
) -> None:
    response = await post(hub, {"query": "{ __typename }"}, content_type=content_type)
    bad_request(response, status=415)


async def test_json_charset_utf8_is_accepted(hub: httpx.AsyncClient) -> None:
    response = await post(
        hub, {"query": "{ __typename }"}, content_type="application/json; charset=UTF-8"
    )
    assert response.status_code == 200


async def test_body_over_the_limit_is_413(make_hub: HubFactory) -> None:
    settings = load_settings({"HUB_MAX_BODY_BYTES": "64"})
    async with make_hub(settings) as client:
        ok = await post(client, {"query": "{ __typename }"})
        assert ok.status_code == 200
        big = await post(client, {"query": "{ __typename }" + " " * 100})
        bad_request(big, status=413)


async def test_streamed_body_over_the_limit_is_413(make_hub: HubFactory) -> None:
    async def chunks() -> Any:
        for _ in range(10):
            yield b" " * 20

    settings = load_settings({"HUB_MAX_BODY_BYTES": "64"})
    async with make_hub(settings) as client:
        response = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        bad_request(response, status=413)


async def test_unexpected_failure_is_a_clean_500(
    hub: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("password=hunter2 at /srv/secret.py line 3")

    monkeypatch.setattr(strawberry.Schema, "execute", explode)
    response = await post(hub, {"query": "{ __typename }"})
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {"message": "Internal server error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ]
    }


# --- GraphiQL ----------------------------------------------------------------------------


async def test_graphiql_in_development(hub: httpx.AsyncClient) -> None:
    response = await hub.get("/graphql", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_no_graphiql_in_production(make_hub: HubFactory) -> None:
    settings = load_settings({"HUB_ENVIRONMENT": "production"})
    async with make_hub(settings) as client:
        page = await client.get("/graphql", headers={"accept": BROWSER})
        assert page.headers["content-type"].startswith(LEGACY)
        assert "no query" in bad_request(page)
        html_only = await client.get("/graphql", headers={"accept": "text/html"})
        assert html_only.status_code == 406
