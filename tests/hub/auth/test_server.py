"""POST /oauth/token: the client-credentials grant, its client authentication and errors."""

from __future__ import annotations

import time

import httpx
from joserfc import jwt

from tests.hub.auth.conftest import COOPERATIVE, AuthHub, AuthHubFactory, with_settings

GRANT = {"grant_type": "client_credentials"}


def oauth_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["error"] == error
    assert "access_token" not in response.json()


async def test_basic_auth_gets_a_jwt_with_every_claim(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client("catalog:read orders:read")
    response = await hub_auth.client.post(
        "/oauth/token", data=GRANT, auth=(new.record.client_id, new.secret)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "catalog:read orders:read"
    assert "refresh_token" not in body
    assert response.headers["cache-control"] == "no-store"
    token = jwt.decode(body["access_token"], hub_auth.auth.keys.signing_key, algorithms=["RS256"])
    assert token.header == {
        "alg": "RS256",
        "typ": "at+jwt",
        "kid": hub_auth.auth.keys.signing_key.kid,
    }
    claims = token.claims
    settings = hub_auth.auth.settings
    assert claims["iss"] == settings.token_issuer
    assert claims["aud"] == "koperasi-hub"
    assert claims["sub"] == claims["client_id"] == new.record.client_id
    assert claims["org"] == COOPERATIVE
    assert claims["scope"] == "catalog:read orders:read"
    assert abs(claims["iat"] - time.time()) < 5
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"]


async def test_post_auth_and_a_narrower_scope(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client("catalog:read orders:read orders:write")
    form = {**GRANT, "client_id": new.record.client_id, "client_secret": new.secret}
    response = await hub_auth.client.post("/oauth/token", data={**form, "scope": "orders:read"})
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "orders:read"


async def test_lifetime_comes_from_settings(make_auth_hub: AuthHubFactory) -> None:
    async with make_auth_hub(with_settings(auth_token_ttl=120)) as hub:
        new = await hub.new_client()
        response = await hub.client.post(
            "/oauth/token", data=GRANT, auth=(new.record.client_id, new.secret)
        )
        assert response.json()["expires_in"] == 120


async def test_wrong_secret(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client()
    response = await hub_auth.client.post(
        "/oauth/token", data=GRANT, auth=(new.record.client_id, new.secret + "x")
    )
    oauth_error(response, 401, "invalid_client")
    form = {**GRANT, "client_id": new.record.client_id, "client_secret": "nope"}
    oauth_error(await hub_auth.client.post("/oauth/token", data=form), 401, "invalid_client")


async def test_unknown_client(hub_auth: AuthHub) -> None:
    response = await hub_auth.client.post("/oauth/token", data=GRANT, auth=("hub_nobody", "x"))
    oauth_error(response, 401, "invalid_client")


async def test_no_credentials(hub_auth: AuthHub) -> None:
    oauth_error(await hub_auth.client.post("/oauth/token", data=GRANT), 401, "invalid_client")


async def test_revoked_client_gets_no_token(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client()
    assert await hub_auth.auth.store.revoke(new.record.client_id)
    response = await hub_auth.client.post(
        "/oauth/token", data=GRANT, auth=(new.record.client_id, new.secret)
    )
    oauth_error(response, 401, "invalid_client")


async def test_unsupported_grant(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client()
    for grant in ("password", "authorization_code", "refresh_token", ""):
        response = await hub_auth.client.post(
            "/oauth/token", data={"grant_type": grant}, auth=(new.record.client_id, new.secret)
        )
        oauth_error(response, 400, "unsupported_grant_type")


async def test_unknown_scope_and_scope_not_granted(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client("catalog:read")
    credentials = (new.record.client_id, new.secret)
    for scope in ("admin", "catalog:read admin", "orders:write"):
        response = await hub_auth.client.post(
            "/oauth/token", data={**GRANT, "scope": scope}, auth=credentials
        )
        oauth_error(response, 400, "invalid_scope")


async def test_malformed_requests(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client()
    credentials = (new.record.client_id, new.secret)
    json_body = await hub_auth.client.post("/oauth/token", json=GRANT, auth=credentials)
    oauth_error(json_body, 400, "invalid_request")
    repeated = await hub_auth.client.post(
        "/oauth/token",
        content=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={"content-type": "application/x-www-form-urlencoded"},
        auth=credentials,
    )
    oauth_error(repeated, 400, "invalid_request")
    both_methods = await hub_auth.client.post(
        "/oauth/token",
        data={**GRANT, "client_id": new.record.client_id, "client_secret": new.secret},
        auth=credentials,
    )
    oauth_error(both_methods, 400, "invalid_request")
    huge = await hub_auth.client.post(
        "/oauth/token", data={**GRANT, "scope": "x" * 10_000}, auth=credentials
    )
    oauth_error(huge, 400, "invalid_request")
    bad_utf8 = await hub_auth.client.post(
        "/oauth/token",
        content=b"grant_type=\xff",
        headers={"content-type": "application/x-www-form-urlencoded"},
        auth=credentials,
    )
    oauth_error(bad_utf8, 400, "invalid_request")


async def test_production_refuses_plain_http(make_auth_hub: AuthHubFactory) -> None:
    async with make_auth_hub(with_settings(environment="production")) as hub:
        new = await hub.new_client()
        response = await hub.client.post(
            "/oauth/token", data=GRANT, auth=(new.record.client_id, new.secret)
        )
        oauth_error(response, 400, "insecure_transport")
        secure = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=hub.app), base_url="https://hub"
        )
        async with secure:
            response = await secure.post(
                "/oauth/token", data=GRANT, auth=(new.record.client_id, new.secret)
            )
        assert response.status_code == 200, response.text
