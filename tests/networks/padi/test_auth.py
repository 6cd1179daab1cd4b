"""OAuth2 client credentials, JWT access tokens, 401s on /graphql, and the rate limit."""

from __future__ import annotations

import base64
import json
import time

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from networks.padi.tokens import TokenService

BUMNS = "{ bumns { id } }"


async def test_token_by_basic_auth_is_a_short_lived_rs256_jwt(padi) -> None:
    response = await padi.http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("koperasi-hub", "padi-dev-secret"),
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    jwks = (await padi.http.get("/.well-known/jwks.json")).json()
    assert "d" not in jwks["keys"][0]
    token = jwt.decode(body["access_token"], KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert token.header["typ"] == "at+jwt"
    assert token.header["kid"] == jwks["keys"][0]["kid"]
    claims = token.claims
    assert claims["sub"] == "koperasi-hub"
    assert claims["aud"] == "padi-graphql"
    assert claims["iss"]
    assert claims["jti"]
    assert claims["exp"] - claims["iat"] == 300
    assert set(claims["scope"].split()) == set(body["scope"].split())


async def test_token_by_client_secret_post_with_a_narrower_scope(padi) -> None:
    response = await padi.http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "koperasi-hub",
            "client_secret": "padi-dev-secret",
            "scope": "catalog:read",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "catalog:read"


async def test_token_endpoint_refusals(padi) -> None:
    wrong = await padi.http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=("koperasi-hub", "nope")
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    unknown = await padi.http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=("siapa", "x")
    )
    assert unknown.status_code == 401
    grant = await padi.http.post(
        "/oauth/token", data={"grant_type": "password"}, auth=("koperasi-hub", "padi-dev-secret")
    )
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"
    as_json = await padi.http.post("/oauth/token", json={"grant_type": "client_credentials"})
    assert as_json.status_code == 400
    assert as_json.json()["error"] == "invalid_request"


def _assert_invalid_token(response) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


async def test_graphql_requires_a_valid_bearer_token(padi) -> None:
    url = "/graphql"
    _assert_invalid_token(await padi.http.post(url, json={"query": BUMNS}))
    _assert_invalid_token(
        await padi.http.post(url, json={"query": BUMNS}, headers={"Authorization": "Bearer x.y.z"})
    )
    _assert_invalid_token(
        await padi.http.post(
            url, json={"query": BUMNS}, headers={"Authorization": "Basic a29wZXJhc2k6eA=="}
        )
    )
    ok = await padi.http.post(url, json={"query": BUMNS}, headers=padi.auth)
    assert ok.status_code == 200


async def test_expired_token_is_refused(padi) -> None:
    tokens: TokenService = padi.app.state.tokens
    real_clock = tokens.clock
    tokens.clock = lambda: real_clock() - 3_600
    try:
        stale = tokens.issue("koperasi-hub", "catalog:read")
    finally:
        tokens.clock = real_clock
    response = await padi.http.post(
        "/graphql", json={"query": BUMNS}, headers={"Authorization": f"Bearer {stale}"}
    )
    _assert_invalid_token(response)
    assert "expired" in response.json()["error"]["message"]


async def test_forged_alg_none_and_wrong_audience_are_refused(padi) -> None:
    tokens: TokenService = padi.app.state.tokens
    claims = {
        "iss": tokens.issuer,
        "aud": tokens.audience,
        "sub": "koperasi-hub",
        "scope": "catalog:read",
        "iat": int(time.time()),
        "exp": int(time.time()) + 300,
        "jti": "forged",
    }
    other_key = RSAKey.generate_key(2048, parameters={"kid": tokens.key.kid})
    forged = jwt.encode({"alg": "RS256", "kid": tokens.key.kid, "typ": "at+jwt"}, claims, other_key)

    def b64(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    unsigned = f"{b64({'alg': 'none', 'typ': 'at+jwt', 'kid': tokens.key.kid})}.{b64(claims)}."
    elsewhere = TokenService(tokens.issuer, "another-api", 300)
    elsewhere.key = tokens.key
    wrong_audience = elsewhere.issue("koperasi-hub", "catalog:read")
    for token in (forged, unsigned, wrong_audience):
        response = await padi.http.post(
            "/graphql", json={"query": BUMNS}, headers={"Authorization": f"Bearer {token}"}
        )
        _assert_invalid_token(response)


async def test_rate_limit_answers_429_with_retry_after_per_client(launch) -> None:
    async with launch(rate_limit_per_second=0.01, rate_limit_burst=3) as padi:
        for _ in range(3):
            assert (await padi.post(BUMNS)).status_code == 200
        limited = await padi.post(BUMNS)
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"]["code"] == "RATE_LIMITED"
        other = await padi.as_client(("mitra-lain", "mitra-secret"))
        assert (await other.post(BUMNS)).status_code == 200
