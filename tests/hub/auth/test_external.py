"""Tokens of one external issuer, verified with its JWKS (cached, refetched on unknown kids)."""

from __future__ import annotations

import time

import httpx
from joserfc.jwk import ECKey, KeySet, RSAKey

from hub.auth.external import RemoteKeySet
from tests.hub.auth.conftest import AuthHubFactory, sign, with_settings

ISSUER = "https://login.example.id"
JWKS_URL = f"{ISSUER}/jwks"


class JwksServer:
    """A JWKS endpoint whose keys the test changes, counting requests."""

    def __init__(self, *keys: RSAKey | ECKey) -> None:
        self.keys = list(keys)
        self.requests = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return httpx.Response(200, json=KeySet(self.keys).as_dict(private=False))


def external_claims(**changes: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": "koperasi-hub",
        "sub": "partner-app",
        "org": "Q29vcGVyYXRpdmU6c2VqdWs6Sy0wMDE",
        "scope": "catalog:read profile",
        "iat": now,
        "exp": now + 300,
    }
    claims.update(changes)
    return claims


async def test_external_tokens_are_accepted(make_auth_hub: AuthHubFactory) -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "ext-1"}, private=True)
    rotated = ECKey.generate_key("P-256", parameters={"kid": "ext-2"}, private=True)
    server = JwksServer(key)
    settings = with_settings(auth_external_issuer=ISSUER, auth_external_jwks_url=JWKS_URL)
    async with make_auth_hub(settings, auth_transport=httpx.MockTransport(server.handler)) as hub:
        response = await hub.graphql(sign(key, external_claims()))
        assert response.status_code == 200, response.text
        assert response.json()["data"]["whoami"] == (
            "partner-app|Q29vcGVyYXRpdmU6c2VqdWs6Sy0wMDE|catalog:read"
        )
        assert (await hub.graphql(sign(key, external_claims()))).status_code == 200
        assert server.requests == 1  # cached
        wrong_audience = sign(key, external_claims(aud="elsewhere"))
        assert (await hub.graphql(wrong_audience)).status_code == 401
        # a token claiming the hub's issuer but signed by the external key is refused
        hub_claims = external_claims(iss=hub.auth.settings.token_issuer)
        assert (await hub.graphql(sign(key, hub_claims))).status_code == 401
        # the issuer rotates: the unknown kid triggers one refetch
        server.keys.append(rotated)
        keys = hub.auth.validator.external
        assert keys is not None
        keys.keys.clock = lambda: time.monotonic() + 60
        es256 = sign(rotated, external_claims(), alg="ES256")
        assert (await hub.graphql(es256)).status_code == 200
        assert server.requests == 2


async def test_unknown_kids_refetch_at_most_once_per_interval() -> None:
    server = JwksServer(RSAKey.generate_key(2048, parameters={"kid": "a"}, private=True))
    clock = [0.0]
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as client:
        keys = RemoteKeySet(JWKS_URL, client, min_refresh=30, clock=lambda: clock[0])
        assert await keys.find("a") is not None
        for kid in ("made-up-1", "made-up-2", "made-up-3"):
            assert await keys.find(kid) is None
        assert server.requests == 1
        clock[0] = 31
        assert await keys.find("made-up-4") is None
        assert server.requests == 2


async def test_an_unreachable_jwks_refuses_tokens_without_failing() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down")

    async with httpx.AsyncClient(transport=httpx.MockTransport(down)) as client:
        keys = RemoteKeySet(JWKS_URL, client)
        assert await keys.find("any") is None
