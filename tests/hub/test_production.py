"""Production mode: no introspection and no GraphiQL unless enabled; and a token is asked
for in any mode unless the hub is told to run open."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from hub.settings import load_settings
from tests.hub.conftest import serve_hub
from tests.hub.test_rate_limit_processes import hub_process

INTROSPECTION = {"query": "{ __schema { queryType { name } } }"}


@pytest.mark.parametrize(
    ("env", "introspects"),
    [
        ({}, True),
        ({"HUB_ENVIRONMENT": "production", "HUB_AUTH_REQUIRED": "false"}, False),
        (
            {
                "HUB_ENVIRONMENT": "production",
                "HUB_AUTH_REQUIRED": "false",
                "HUB_INTROSPECTION": "true",
            },
            True,
        ),
    ],
)
async def test_introspection_follows_the_environment(
    env: dict[str, str], introspects: bool
) -> None:
    async with serve_hub(load_settings(env), schema=None) as client:
        response = await client.post(
            "/graphql", json=INTROSPECTION, headers={"accept": "application/json"}
        )
        page = await client.get("/graphql", headers={"accept": "text/html"})
    body = response.json()
    if introspects:
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    else:
        assert "data" not in body
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection" in body["errors"][0]["message"].lower()
    assert ("text/html" in page.headers["content-type"]) is (env.get("HUB_ENVIRONMENT") is None)


def test_hub_serve_asks_for_a_token_unless_told_otherwise(tmp_path: Path) -> None:
    # Development mode, as a new operator would start it: still no anonymous reads.
    with hub_process(tmp_path / "default", {"HUB_INDEX": "false"}) as url:
        response = httpx.post(
            f"{url}/graphql",
            json={"query": "{ networks { code } }"},
            headers={"accept": "application/graphql-response+json"},
            timeout=30,
        )
        health = httpx.get(f"{url}/healthz", timeout=30)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert health.status_code == 200
    env = {"HUB_INDEX": "false", "HUB_AUTH_REQUIRED": "false"}
    with hub_process(tmp_path / "open", env) as url:
        response = httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}, timeout=30)
    assert response.status_code == 200
