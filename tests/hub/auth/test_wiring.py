"""The hub around auth: settings, the rate limit's client key, the Context's principal."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from hub.auth.principal import Principal
from hub.ratelimit import client_key
from hub.settings import SettingsError, load_settings
from tests.hub.auth.conftest import AuthHubFactory, with_settings


def test_auth_settings() -> None:
    settings = load_settings(
        {
            "HUB_AUTH_REQUIRED": "true",
            "HUB_AUTH_ISSUER": "https://hub.example.id",
            "HUB_AUTH_TOKEN_TTL": "300",
            "HUB_AUTH_CLIENT_CACHE": "0",
            "HUB_AUTH_EXTERNAL_ISSUER": "https://login.example.id",
            "HUB_AUTH_EXTERNAL_JWKS_URL": "https://login.example.id/jwks",
        }
    )
    assert settings.auth_required
    assert settings.auth_token_ttl == 300
    assert settings.token_issuer == "https://hub.example.id"
    assert settings.auth_client_cache == 0
    defaults = load_settings({"HUB_PORT": "9000"})
    assert defaults.auth_required_enabled  # safe by default, in development too
    assert load_settings({"HUB_ENVIRONMENT": "production"}).auth_required_enabled
    assert not load_settings(
        {"HUB_ENVIRONMENT": "production", "HUB_AUTH_REQUIRED": "false"}
    ).auth_required_enabled
    assert defaults.token_issuer == "http://127.0.0.1:9000"
    assert defaults.auth_token_ttl == 900


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"HUB_AUTH_REQUIRED": "maybe"}, "HUB_AUTH_REQUIRED='maybe': expected true or false"),
        ({"HUB_AUTH_TOKEN_TTL": "10"}, "auth_token_ttl 10: expected 60 to 86400"),
        ({"HUB_AUTH_TOKEN_TTL": "1h"}, "expected an integer number of seconds"),
        ({"HUB_AUTH_ISSUER": "hub.example.id"}, "expected an http(s) URL"),
        ({"HUB_AUTH_ISSUER": "https://hub.example.id/"}, "trailing /"),
        ({"HUB_AUTH_CLIENT_CACHE": "-1"}, "auth_client_cache -1.0"),
        ({"HUB_AUTH_EXTERNAL_ISSUER": "https://x"}, "set both or neither"),
        (
            {"HUB_AUTH_EXTERNAL_ISSUER": "https://x", "HUB_AUTH_EXTERNAL_JWKS_URL": "ftp://x"},
            "expected an http(s) URL",
        ),
    ],
)
def test_bad_auth_settings(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(env)
    assert fragment in str(raised.value)


def test_client_key_prefers_the_principal() -> None:
    scope: dict[str, Any] = {"type": "http", "client": ("203.0.113.7", 5555), "headers": []}
    request = Request(scope)
    assert client_key(request) == "203.0.113.7"
    request.state.principal = Principal("hub_abc", None, frozenset(), "iss")
    assert client_key(request) == "client:hub_abc"


async def test_each_client_has_its_own_bucket(make_auth_hub: AuthHubFactory) -> None:
    settings = with_settings(rate_limit=0.01, rate_limit_burst=10, max_batch_size=2)
    async with make_auth_hub(settings) as hub:
        first, second = await hub.new_client(), await hub.new_client()
        tokens = [await hub.token(first), await hub.token(second)]
        for _ in range(10):
            assert (await hub.graphql(tokens[0])).status_code == 200
        assert (await hub.graphql(tokens[0])).status_code == 429
        assert (await hub.graphql(tokens[1])).status_code == 200  # same address, other client
        assert (await hub.graphql()).status_code == 200  # anonymous: the address's bucket
