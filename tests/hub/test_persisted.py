"""Persisted queries: APQ register, hit, miss and mismatch; safelist mode; Redis-shared."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from hub.persisted import MemoryStore, sha256_hex
from hub.settings import SettingsError, load_settings
from networks.launcher import free_port
from tests.hub.conftest import request_total

HubFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]

NEW = "application/graphql-response+json"
LEGACY = "application/json"
ECHO = '{ echo(text: "apq") }'
SEARCH = "{ search(first: 1) { edges { node { name } } } }"


def persisted(query: str | None, digest: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "extensions": {
            "persistedQuery": {"version": 1, "sha256Hash": digest or sha256_hex(query or "")}
        }
    }
    if query is not None:
        body["query"] = query
    return body


async def post(client: httpx.AsyncClient, body: Any, accept: str = NEW) -> httpx.Response:
    return await client.post("/graphql", json=body, headers={"accept": accept})


def code_of(response: httpx.Response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    code: str = error["extensions"]["code"]
    return code


# --- automatic persisted queries -----------------------------------------------------------


async def test_miss_then_register_then_hit(hub: httpx.AsyncClient) -> None:
    digest = sha256_hex(ECHO)
    miss = await post(hub, persisted(None, digest))
    assert code_of(miss) == "PERSISTED_QUERY_NOT_FOUND"
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert (
        code_of(await post(hub, persisted(None, digest), LEGACY), 200)
        == "PERSISTED_QUERY_NOT_FOUND"
    )
    registered = await post(hub, persisted(ECHO))
    assert registered.json() == {"data": {"echo": "apq"}}
    hit = await post(hub, persisted(None, digest))
    assert hit.json() == {"data": {"echo": "apq"}}
    upper = await post(hub, persisted(None, digest.upper()))
    assert upper.json() == {"data": {"echo": "apq"}}


async def test_a_query_whose_hash_does_not_match_is_refused_and_not_stored(
    hub: httpx.AsyncClient,
) -> None:
    wrong = sha256_hex("{ something else }")
    assert code_of(await post(hub, persisted(ECHO, wrong))) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert code_of(await post(hub, persisted(None, wrong))) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extension",
    [
        {"version": 2, "sha256Hash": sha256_hex(ECHO)},
        {"version": 1, "sha256Hash": "abc"},
        {"version": 1},
        "yes",
        None,
    ],
)
async def test_malformed_persisted_query_extension_is_400(
    hub: httpx.AsyncClient, extension: Any
) -> None:
    response = await post(hub, {"extensions": {"persistedQuery": extension}})
    assert code_of(response) == "BAD_REQUEST"


async def test_get_runs_registered_queries(hub: httpx.AsyncClient) -> None:
    digest = sha256_hex(ECHO)
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    miss = await hub.get("/graphql", params={"extensions": extensions}, headers={"accept": NEW})
    assert code_of(miss) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await hub.get("/graphql", params={"query": ECHO, "extensions": extensions})
    assert registered.json() == {"data": {"echo": "apq"}}
    hit = await hub.get("/graphql", params={"extensions": extensions})
    assert hit.status_code == 200
    assert hit.json() == {"data": {"echo": "apq"}}


async def test_get_still_refuses_a_persisted_mutation(hub: httpx.AsyncClient) -> None:
    mutation = "mutation { ping }"
    assert (await post(hub, persisted(mutation))).json() == {"data": {"ping": "pong"}}
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(mutation)}})
    response = await hub.get("/graphql", params={"extensions": extensions})
    assert response.status_code == 405


async def test_queries_over_a_limit_are_not_registered(make_hub: HubFactory) -> None:
    query = '{ a: echo(text: "1") b: echo(text: "2") }'
    async with make_hub(load_settings({"HUB_MAX_ALIASES": "1"})) as client:
        assert code_of(await post(client, persisted(query))) == "TOO_MANY_ALIASES"
        assert code_of(await post(client, persisted(None, sha256_hex(query)))) == (
            "PERSISTED_QUERY_NOT_FOUND"
        )


async def test_invalid_queries_are_not_registered(hub: httpx.AsyncClient) -> None:
    query = "{ nope }"
    invalid = await post(hub, persisted(query))
    assert invalid.status_code == 400
    assert "data" not in invalid.json()
    assert (
        code_of(await post(hub, persisted(None, sha256_hex(query)))) == "PERSISTED_QUERY_NOT_FOUND"
    )


async def test_apq_turned_off(make_hub: HubFactory) -> None:
    async with make_hub(load_settings({"HUB_PERSISTED_QUERIES": "false"})) as client:
        assert (await post(client, persisted(ECHO))).json() == {"data": {"echo": "apq"}}
        response = await post(client, persisted(None, sha256_hex(ECHO)))
        assert code_of(response) == "PERSISTED_QUERY_NOT_SUPPORTED"
        assert response.json()["errors"][0]["message"] == "PersistedQueryNotSupported"


async def test_a_batch_answers_each_persisted_query_alone(hub: httpx.AsyncClient) -> None:
    response = await post(hub, [persisted(None, sha256_hex(ECHO)), persisted(ECHO)])
    assert response.status_code == 200
    miss, hit = response.json()
    assert miss["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert hit == {"data": {"echo": "apq"}}


def test_memory_store_keeps_the_most_recently_used() -> None:
    store = MemoryStore(max_entries=2)
    store.put("a", "A")
    store.put("b", "B")
    assert store.get("a") == "A"
    store.put("c", "C")
    assert (store.get("a"), store.get("b"), store.get("c")) == ("A", None, "C")


@pytest.mark.redis
async def test_replicas_share_registered_queries_through_redis(
    make_hub: HubFactory, redis_env: dict[str, str]
) -> None:
    settings = load_settings(redis_env)
    async with make_hub(settings) as one, make_hub(settings) as two:
        assert code_of(await post(two, persisted(None, sha256_hex(ECHO)))) == (
            "PERSISTED_QUERY_NOT_FOUND"
        )
        assert (await post(one, persisted(ECHO))).json() == {"data": {"echo": "apq"}}
        hit = await post(two, persisted(None, sha256_hex(ECHO)))
        assert hit.json() == {"data": {"echo": "apq"}}


async def test_redis_down_keeps_queries_in_this_replica(make_hub: HubFactory) -> None:
    closed = f"redis://127.0.0.1:{free_port('127.0.0.1')}/0"
    async with make_hub(load_settings({"HUB_REDIS_URL": closed})) as client:
        assert (await post(client, persisted(ECHO))).json() == {"data": {"echo": "apq"}}
        hit = await post(client, persisted(None, sha256_hex(ECHO)))
        assert hit.json() == {"data": {"echo": "apq"}}
        other = await post(client, persisted(None, sha256_hex("{ __typename }")))
        assert code_of(other) == "PERSISTED_QUERY_NOT_FOUND"


# --- safelist mode ---------------------------------------------------------------------------


def json_safelist(tmp_path: Path, *queries: str) -> Path:
    path = tmp_path / "safelist.json"
    path.write_text(json.dumps({sha256_hex(q): q for q in queries}), encoding="utf-8")
    return path


async def test_safelist_runs_registered_operations_only(
    make_hub: HubFactory, tmp_path: Path
) -> None:
    safelist = json_safelist(tmp_path, ECHO)
    async with make_hub(load_settings({"HUB_SAFELIST": str(safelist)})) as client:
        by_hash = await post(client, persisted(None, sha256_hex(ECHO)))
        assert by_hash.json() == {"data": {"echo": "apq"}}
        by_text = await post(client, {"query": ECHO})
        assert by_text.json() == {"data": {"echo": "apq"}}
        for body in (
            {"query": '{ echo(text: "other") }'},
            persisted('{ echo(text: "other") }'),
            persisted(None, sha256_hex('{ echo(text: "other") }')),
            [{"query": "{ __typename }"}],
        ):
            response = await post(client, body)
            if isinstance(body, list):
                [answer] = response.json()
                assert answer["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
            else:
                assert code_of(response) == "PERSISTED_QUERY_NOT_ALLOWED"
        legacy = await post(client, {"query": "{ __typename }"}, LEGACY)
        assert code_of(legacy, 200) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_safelist_from_a_folder_of_graphql_files(
    make_hub: HubFactory, tmp_path: Path
) -> None:
    (tmp_path / "echo.graphql").write_text('query Echo {\n  echo(text: "file")\n}\n')
    (tmp_path / "notes.txt").write_text("not an operation")
    text = (tmp_path / "echo.graphql").read_text()
    async with make_hub(load_settings({"HUB_SAFELIST": str(tmp_path)})) as client:
        response = await post(client, persisted(None, sha256_hex(text)))
        assert response.json() == {"data": {"echo": "file"}}
        assert code_of(await post(client, {"query": ECHO})) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_safelist_on_the_public_schema_keeps_networks_untouched(
    hub_over: HubFactory,
    networks: dict[str, Starlette],
    transports: dict[str, httpx.AsyncBaseTransport],
    tmp_path: Path,
) -> None:
    settings = load_settings({"HUB_SAFELIST": str(json_safelist(tmp_path, SEARCH))})
    async with hub_over(settings, transports=transports) as client:
        before = await request_total(networks)
        ok = await post(client, persisted(None, sha256_hex(SEARCH)))
        assert len(ok.json()["data"]["search"]["edges"]) == 1
        reached = await request_total(networks)
        assert reached > before
        other = "{ search(first: 2) { edges { node { name } } } }"
        assert code_of(await post(client, {"query": other})) == "PERSISTED_QUERY_NOT_ALLOWED"
        assert await request_total(networks) == reached


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{", "not valid JSON"),
        ('["{ a }"]', "JSON object"),
        ('{"abc": "{ a }"}', "not the SHA-256"),
        ("{}", "no operations"),
    ],
)
def test_a_bad_safelist_stops_the_hub_at_start(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "safelist.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=fragment):
        load_settings({"HUB_SAFELIST": str(path)})


def test_a_missing_safelist_stops_the_hub_at_start(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings({"HUB_SAFELIST": str(tmp_path / "nope.json")})
