"""Bearer tokens at /graphql: every bad token is a 401 UNAUTHENTICATED, never data or a 500."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from joserfc.jwk import RSAKey

from hub.auth.keys import KeyRing
from hub.auth.principal import AuthError
from hub.auth.validation import TokenValidator
from hub.settings import Settings
from tests.hub.auth.conftest import (
    COOPERATIVE,
    SUPPLIER,
    AuthHub,
    AuthHubFactory,
    claims_for,
    hs256_with_public_key,
    sign,
    unsigned,
    with_settings,
)

Forger = Callable[[RSAKey, Settings, str], str]
STRANGER = RSAKey.generate_key(2048, parameters={"kid": "stranger"}, private=True)


def unauthenticated(response: httpx.Response) -> str:
    assert response.status_code == 401, response.text
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"].startswith("Bearer")
    message: str = error["message"]
    return message


def _claims(settings: Settings, client_id: str, **changes: Any) -> dict[str, Any]:
    return claims_for(settings, client_id, COOPERATIVE, **changes)


now = int(time.time())
# name -> (reason, forge(key, settings, client_id))
CASES: dict[str, tuple[str, Forger]] = {
    "expired": (
        "expired",
        lambda k, s, c: sign(k, _claims(s, c, iat=now - 4000, nbf=now - 4000, exp=now - 100)),
    ),
    "not yet valid (nbf)": (
        "not_yet_valid",
        lambda k, s, c: sign(k, _claims(s, c, nbf=now + 600, exp=now + 1200)),
    ),
    "issued in the future": (
        "not_yet_valid",
        lambda k, s, c: sign(k, _claims(s, c, iat=now + 600, nbf=None, exp=now + 1200)),
    ),
    "wrong issuer": ("wrong_issuer", lambda k, s, c: sign(k, _claims(s, c, iss="https://evil"))),
    "wrong audience": ("wrong_audience", lambda k, s, c: sign(k, _claims(s, c, aud="padi"))),
    "no exp": ("missing_claim", lambda k, s, c: sign(k, _claims(s, c, exp=None))),
    "alg none": ("unsupported_algorithm", lambda k, s, c: unsigned(_claims(s, c), k.kid)),
    "HS256 keyed with the public key": (
        "unsupported_algorithm",
        lambda k, s, c: hs256_with_public_key(_claims(s, c), k),
    ),
    "unknown kid": ("unknown_key", lambda k, s, c: sign(STRANGER, _claims(s, c))),
    "forged signature (our kid, another key)": (
        "bad_signature",
        lambda k, s, c: sign(STRANGER, _claims(s, c), kid=k.kid),
    ),
    "tampered claims": (
        "bad_signature",
        lambda k, s, c: _tamper(sign(k, _claims(s, c))),
    ),
    "typ JWT, not an access token": (
        "wrong_type",
        lambda k, s, c: sign(k, _claims(s, c), typ="JWT"),
    ),
    "no typ": ("wrong_type", lambda k, s, c: sign(k, _claims(s, c), typ=None)),
    "other organisation than the client's": (
        "revoked",
        lambda k, s, c: sign(k, claims_for(s, c, SUPPLIER)),
    ),
    "client that does not exist": ("revoked", lambda k, s, c: sign(k, _claims(s, "hub_ghost"))),
}


def _tamper(token: str) -> str:
    import base64
    import json

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "catalog:read orders:write analytics:read"
    raw = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{raw}.{signature}"


MALFORMED = [
    "Bearer",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    "Bearer not-a-jwt",
    "Bearer a.b",
    "Bearer !!!.???.***",
    "Bearer e30.e30.e30",  # {} header: no alg
    "Bearer W10.e30.e30",  # [] header
    "Bearer " + "a" * 9000 + ".b.c",
    "Token abc.def.ghi",
]


@pytest.mark.parametrize("case", CASES)
async def test_bad_tokens_are_refused(hub_auth: AuthHub, case: str) -> None:
    reason, forge = CASES[case]
    new = await hub_auth.new_client("catalog:read")
    token = forge(hub_auth.auth.keys.signing_key, hub_auth.auth.settings, new.record.client_id)
    with pytest.raises(AuthError) as raised:
        await hub_auth.auth.validator.authenticate(f"Bearer {token}")
    assert raised.value.reason == reason
    message = unauthenticated(await hub_auth.graphql(token))
    assert raised.value.message in message
    assert 'error="invalid_token"' in (await hub_auth.graphql(token)).headers["www-authenticate"]


@pytest.mark.parametrize("header", MALFORMED)
async def test_malformed_authorization_headers(hub_auth: AuthHub, header: str) -> None:
    unauthenticated(await hub_auth.graphql(authorization=header))


async def test_a_good_token_reaches_the_context(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client("catalog:read orders:read")
    token = await hub_auth.token(new, "orders:read")
    response = await hub_auth.graphql(token)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["whoami"] == f"{new.record.client_id}|{COOPERATIVE}|orders:read"
    anonymous = await hub_auth.graphql()
    assert anonymous.json()["data"]["whoami"] == "anonymous"


async def test_auth_required_refuses_requests_without_a_token(
    make_auth_hub: AuthHubFactory,
) -> None:
    async with make_auth_hub(with_settings(auth_required=True)) as hub:
        response = await hub.graphql()
        unauthenticated(response)
        assert response.headers["www-authenticate"] == "Bearer"
        batch = await hub.client.post("/graphql", json=[{"query": "{ whoami }"}] * 2)
        unauthenticated(batch)
        get = await hub.client.get("/graphql", params={"query": "{ whoami }"})
        unauthenticated(get)
        new = await hub.new_client()
        ok = await hub.graphql(await hub.token(new))
        assert ok.status_code == 200
        assert ok.json()["data"]["whoami"].startswith(new.record.client_id)


async def test_revoked_clients_tokens_stop_working(make_auth_hub: AuthHubFactory) -> None:
    async with make_auth_hub(with_settings(auth_client_cache=0.0)) as hub:
        new = await hub.new_client()
        token = await hub.token(new)
        assert (await hub.graphql(token)).status_code == 200
        await hub.auth.store.revoke(new.record.client_id)
        assert "revoked" in unauthenticated(await hub.graphql(token))


async def test_revocation_is_cached_briefly(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client()
    token = await hub_auth.token(new)
    assert (await hub_auth.graphql(token)).status_code == 200
    await hub_auth.auth.store.revoke(new.record.client_id)
    # within auth_client_cache (5 s) the cached answer stands; then the lookup is redone
    assert (await hub_auth.graphql(token)).status_code == 200
    cache = hub_auth.auth.validator.clients
    assert cache is not None
    cache.clock = lambda: time.monotonic() + 6
    unauthenticated(await hub_auth.graphql(token))


async def test_validator_scopes_are_the_tokens_within_the_clients() -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
    settings = with_settings()
    validator = TokenValidator(KeyRing((key,)), settings.token_issuer, "koperasi-hub", None)
    token = sign(key, claims_for(settings, "c", COOPERATIVE))
    with pytest.raises(AuthError) as raised:
        await validator.authenticate(f"Bearer {token}")
    assert raised.value.reason == "revoked"  # no client store: no client is known
    with pytest.raises(AuthError) as missing:
        await validator.authenticate(None)
    assert missing.value.reason == "missing"


async def test_a_token_seen_before_still_expires(hub_auth: AuthHub) -> None:
    new = await hub_auth.new_client()
    token = await hub_auth.token(new)
    validator = hub_auth.auth.validator
    assert (await validator.authenticate(f"Bearer {token}")).client_id == new.record.client_id
    # Its signature is remembered now; its expiry is still read on every request.
    ttl = hub_auth.auth.settings.auth_token_ttl
    validator.clock = lambda: time.time() + ttl + 120
    with pytest.raises(AuthError) as raised:
        await validator.authenticate(f"Bearer {token}")
    assert raised.value.reason == "expired"
