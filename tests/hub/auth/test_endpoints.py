"""/.well-known/jwks.json and /.well-known/oauth-authorization-server."""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import KeySet

from hub.auth.scopes import SCOPES
from tests.hub.auth.conftest import AuthHub, AuthHubFactory, with_settings


async def test_jwks_verifies_issued_tokens(hub_auth: AuthHub) -> None:
    response = await hub_auth.client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    keys = response.json()["keys"]
    assert keys
    assert all("d" not in key for key in keys)
    key_set = KeySet.import_key_set(response.json())
    token = await hub_auth.token(await hub_auth.new_client())
    kid = jwt.decode(token, key_set, algorithms=["RS256"]).header["kid"]
    assert kid == keys[0]["kid"]


async def test_metadata_describes_the_server(make_auth_hub: AuthHubFactory) -> None:
    settings = with_settings(auth_issuer="https://hub.example.id")
    async with make_auth_hub(settings) as hub:
        response = await hub.client.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    assert response.json() == {
        "issuer": "https://hub.example.id",
        "token_endpoint": "https://hub.example.id/oauth/token",
        "jwks_uri": "https://hub.example.id/.well-known/jwks.json",
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": list(SCOPES),
        "access_token_signing_alg_values_supported": ["RS256"],
    }


async def test_token_endpoint_wants_post(hub_auth: AuthHub) -> None:
    assert (await hub_auth.client.get("/oauth/token")).status_code == 405
