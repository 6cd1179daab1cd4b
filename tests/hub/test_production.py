"""Production mode: no introspection and no GraphiQL unless enabled."""

from __future__ import annotations

import pytest

from hub.settings import load_settings
from tests.hub.conftest import serve_hub

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


async def test_production_asks_for_a_token_unless_told_otherwise() -> None:
    async with serve_hub(load_settings({"HUB_ENVIRONMENT": "production"})) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ networks { code } }"},
            headers={"accept": "application/graphql-response+json"},
        )
        health = await client.get("/healthz")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert health.status_code == 200
