"""Failed authentication is throttled per address and per client id, before any crypto.

``AuthService.authenticate`` is what the request pipeline calls for a bearer token; the
token endpoint throttles wrong secrets the same way and hashes them off the event loop,
a few at a time. Any header text is answered with the hub's own words.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import pytest
from joserfc.jwk import RSAKey
from starlette.applications import Starlette

from federation.orders.database import connect
from hub.auth import endpoints, hashing
from hub.auth.clients import NewClient
from hub.auth.principal import AuthError, Principal
from hub.auth.service import AuthService
from hub.auth.throttle import FailureThrottle, remote_key
from hub.database import upgrade
from hub.refusal import RATE_LIMITED, UNAUTHENTICATED, Refusal
from hub.settings import Settings, load_settings
from tests.hub.auth.conftest import COOPERATIVE, b64, claims_for, sign

STRANGER = RSAKey.generate_key(2048, parameters={"kid": "stranger"}, private=True)
SAFE = re.compile(r"[ !#-~]+")  # printable ASCII without '"': fit for any header
EVIL = "EVIL"  # planted in every hostile header: must show up nowhere
NESTED_CLAIMS = b'{"sub":' + b"[" * 3000 + b"]" * 3000 + b"}"


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@asynccontextmanager
async def started(settings: Settings, tmp_path: Path, keys_dir: Path) -> AsyncIterator[AuthService]:
    """An auth service on a fresh database (no app around it)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    url = f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    settings = replace(settings, database_url=url, auth_keys_dir=str(keys_dir))
    auth = await AuthService.start(settings, engine)
    try:
        yield auth
    finally:
        await auth.aclose()
        await engine.dispose()


def throttled_settings(**changes: Any) -> Settings:
    """3 failures allowed, one forgiven every 10 s, two hashes at once."""
    base = load_settings({"HUB_RATE_LIMIT": "0"})
    values: dict[str, Any] = {
        "auth_failure_burst": 3,
        "auth_failure_rate": 0.1,
        "auth_hash_concurrency": 2,
    }
    return replace(base, **{**values, **changes})


@pytest.fixture
async def auth(tmp_path: Path, keys_dir: Path) -> AsyncIterator[AuthService]:
    async with started(throttled_settings(), tmp_path, keys_dir) as service:
        yield service


async def new_client(auth: AuthService, org: str = COOPERATIVE) -> NewClient:
    return await auth.store.create(org, "catalog:read", "test")


def bearer(auth: AuthService, new: NewClient) -> str:
    """A good token for ``new``."""
    token = auth.server.tokens.issue(new.record.client_id, new.record.organization, "catalog:read")
    return f"Bearer {token}"


def forged(auth: AuthService, client_id: str) -> str:
    """A token naming ``client_id`` but signed with a key the hub does not know."""
    return f"Bearer {sign(STRANGER, claims_for(auth.settings, client_id, COOPERATIVE))}"


async def refused(call: Awaitable[Principal]) -> Refusal:
    with pytest.raises(Refusal) as raised:
        await call
    return raised.value


class Spy:
    """Counts calls to an async method, passing them on."""

    def __init__(self, target: Callable[..., Awaitable[Any]]) -> None:
        self.target = target
        self.calls = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return await self.target(*args, **kwargs)


# --- any header text: 401, the hub's own words, one log line ---------------------------


def _segment(value: Any) -> str:
    return b64(json.dumps(value).encode())


def hostile_headers(key: RSAKey, settings: Settings, client_id: str) -> dict[str, str]:
    claims = claims_for(settings, client_id, COOPERATIVE)
    good_header = {"alg": "RS256", "typ": "at+jwt", "kid": key.kid}

    def with_header(**fields: Any) -> str:
        return f"Bearer {_segment({**good_header, **fields})}.{_segment(claims)}.c2ln"

    return {
        "CR/LF in alg": with_header(alg=f"RS256\r\nX-{EVIL}: 1"),
        "NUL in alg": with_header(alg=f"\x00{EVIL}"),
        "non-Latin-1 alg": with_header(alg=f"\u20ac{EVIL}\u4e2d"),
        "CR/LF in kid": with_header(kid=f"\r\n{EVIL}"),
        "CR/LF in typ": with_header(typ=f"at+jwt\r\n{EVIL}"),
        "non-Latin-1 header text": f"Bearer \u20ac{EVIL}\u4e2d.x.y",
        "UTF-8 bytes read as Latin-1": f"Bearer {EVIL}\u00e2\u0082\u00ac.x.y",
        "lone surrogate": f"Bearer \ud800{EVIL}",
        "NUL and CR/LF": f"Bearer \x00\r\n{EVIL}",
        "nested JSON header": f"Bearer {b64(b'[' * 5000)}.e30.{EVIL}",
        "nested JSON claims": f"Bearer {_segment(good_header)}.{b64(NESTED_CLAIMS)}.{EVIL}",
        "claims of the wrong types": "Bearer "
        + sign(key, {**claims, "exp": f"soon\r\n{EVIL}", "iss": [EVIL], "sub": {EVIL: 1}}),
        "unknown claim values": "Bearer "
        + sign(key, {**claims, "iss": f"{EVIL}\r\n", "aud": f"\u20ac{EVIL}"}),
    }


HOSTILE = list(hostile_headers(STRANGER, load_settings({}), "hub_x"))


@pytest.mark.parametrize("case", HOSTILE)
async def test_any_header_is_unauthenticated_in_the_hubs_words(
    auth: AuthService, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    new = await new_client(auth)
    header = hostile_headers(auth.keys.signing_key, auth.settings, new.record.client_id)[case]
    with caplog.at_level(logging.DEBUG):
        refusal = await refused(auth.authenticate(header, "203.0.113.9"))
    assert refusal.code == UNAUTHENTICATED
    assert SAFE.fullmatch(refusal.message), refusal.message
    assert EVIL not in refusal.message
    [line] = [record for record in caplog.records if record.name.startswith("hub")]
    assert line.exc_info is None
    assert line.levelno in (logging.INFO, logging.WARNING)
    assert EVIL not in line.getMessage()
    assert "203.0.113.9" in line.getMessage()
    with pytest.raises(AuthError) as raised:  # what other callers of the validator see
        await auth.validator.authenticate(header)
    assert SAFE.fullmatch(raised.value.message), raised.value.message
    assert EVIL not in raised.value.message


# --- bearer tokens: per address, per client id ----------------------------------------


async def test_failed_tokens_throttle_the_address_but_valid_tokens_still_pass(
    auth: AuthService,
) -> None:
    new = await new_client(auth)
    for client_id in ("hub_a", "hub_b", "hub_c"):  # three clients: only the address adds up
        refusal = await refused(auth.authenticate(forged(auth, client_id), "198.51.100.7"))
        assert refusal.code == UNAUTHENTICATED
    refusal = await refused(auth.authenticate(forged(auth, "hub_d"), "198.51.100.7"))
    assert refusal.code == RATE_LIMITED
    assert refusal.retry_after == 10  # one failure is forgiven every 10 s
    assert SAFE.fullmatch(refusal.message)
    # A real client behind the same address (a NAT, an office) is not locked out.
    principal = await auth.authenticate(bearer(auth, new), "198.51.100.7")
    assert principal.client_id == new.record.client_id


async def test_failed_tokens_throttle_their_client_id_across_addresses(
    auth: AuthService,
) -> None:
    victim = await new_client(auth)
    for n in range(3):
        await refused(auth.authenticate(forged(auth, victim.record.client_id), f"192.0.2.{n}"))
    refusal = await refused(auth.authenticate(forged(auth, victim.record.client_id), "192.0.2.9"))
    assert refusal.code == RATE_LIMITED
    # The forgeries named the victim; its own tokens still work.
    principal = await auth.authenticate(bearer(auth, victim), "192.0.2.50")
    assert principal.client_id == victim.record.client_id


async def test_successes_cost_nothing_and_failures_are_forgiven_at_the_rate(
    auth: AuthService,
) -> None:
    now = [1000.0]
    auth.throttle.buckets.local.clock = lambda: now[0]
    new = await new_client(auth)
    for _ in range(10):  # well past the burst of 3
        await auth.authenticate(bearer(auth, new), "198.51.100.20")
    for _ in range(3):
        await refused(auth.authenticate("Bearer nonsense", "198.51.100.20"))
    assert (await refused(auth.authenticate("Bearer nonsense", "198.51.100.20"))).retry_after == 10
    await auth.authenticate(bearer(auth, new), "198.51.100.20")  # valid tokens pass throughout
    now[0] += 9.0
    assert (await refused(auth.authenticate("Bearer nonsense", "198.51.100.20"))).retry_after == 1
    now[0] += 1.0
    refusal = await refused(auth.authenticate("Bearer nonsense", "198.51.100.20"))
    assert refusal.code == UNAUTHENTICATED  # one failure forgiven
    refusal = await refused(auth.authenticate("Bearer nonsense", "198.51.100.20"))
    assert refusal.code == RATE_LIMITED


async def test_ipv6_addresses_count_by_their_64(auth: AuthService) -> None:
    for host in ("2001:db8::1", "2001:db8::2", "2001:db8::3:4"):
        await refused(auth.authenticate("Bearer nonsense", host))
    assert (await refused(auth.authenticate("Bearer nonsense", "2001:db8::ffff"))).retry_after
    next_64 = await refused(auth.authenticate("Bearer nonsense", "2001:db8:0:1::1"))
    assert next_64.code == UNAUTHENTICATED
    assert remote_key("::ffff:192.0.2.1") == remote_key("192.0.2.1")


def test_buckets_stay_bounded_in_memory() -> None:
    throttle = FailureThrottle(0.1, 3, max_entries=50)

    async def spray() -> None:
        for n in range(500):
            await throttle.failed(f"10.0.{n // 256}.{n % 256}", f"hub_{n}")

    asyncio.run(spray())
    assert len(throttle.buckets.local._buckets) <= 50


# --- the token endpoint ---------------------------------------------------------------


Post = Callable[..., Coroutine[Any, Any, httpx.Response]]


@asynccontextmanager
async def token_endpoint(auth: AuthService) -> AsyncIterator[Post]:
    """``post(address, client_id, secret)``: a token request from ``address``.

    With ``headers`` (an ``authorization`` of its own), the id and secret are not sent.
    """
    app = Starlette(routes=endpoints.routes())
    app.state.auth = auth
    clients: dict[str, httpx.AsyncClient] = {}

    async def post(address: str, client_id: str, secret: str, **headers: str) -> httpx.Response:
        if address not in clients:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            clients[address] = httpx.AsyncClient(transport=transport, base_url="http://hub")
        form = {"grant_type": "client_credentials"}
        if headers:
            return await clients[address].post("/oauth/token", data=form, headers=headers)
        return await clients[address].post("/oauth/token", data=form, auth=(client_id, secret))

    try:
        yield post
    finally:
        for client in clients.values():
            await client.aclose()


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The secrets hashed (checked against a stored hash), in order."""
    seen: list[str] = []
    real = hashing.verify_secret

    def counting(secret: str, stored: str) -> bool:
        seen.append(secret)
        return real(secret, stored)

    monkeypatch.setattr(hashing, "verify_secret", counting)
    return seen


def assert_throttled(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) >= 1
    body = response.json()
    assert body["error"] == "temporarily_unavailable"
    assert SAFE.fullmatch(body["error_description"])
    assert response.headers["cache-control"] == "no-store"


async def test_wrong_secrets_throttle_the_address_before_loading_or_hashing(
    auth: AuthService, hashes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = [await new_client(auth) for _ in range(4)]
    async with token_endpoint(auth) as post:
        for new in clients[:3]:
            wrong = await post("198.51.100.30", new.record.client_id, "wrong")
            assert wrong.status_code == 401
            assert wrong.json()["error"] == "invalid_client"
        assert len(hashes) == 3
        loads = Spy(auth.store.get)
        monkeypatch.setattr(auth.store, "get", loads)
        right = clients[3]
        assert_throttled(await post("198.51.100.30", right.record.client_id, right.secret))
        assert (loads.calls, len(hashes)) == (0, 3)
        assert (await post("198.51.100.31", right.record.client_id, right.secret)).is_success


async def test_wrong_secrets_throttle_the_client_id_across_addresses(
    auth: AuthService,
) -> None:
    victim, other = await new_client(auth), await new_client(auth)
    async with token_endpoint(auth) as post:
        for n in range(3):
            response = await post(f"192.0.2.{n}", victim.record.client_id, "wrong")
            assert response.status_code == 401
        assert_throttled(await post("192.0.2.99", victim.record.client_id, victim.secret))
        assert (await post("192.0.2.99", other.record.client_id, other.secret)).is_success


async def test_unknown_clients_and_unreadable_credentials_count_too(
    auth: AuthService, hashes: list[str]
) -> None:
    new = await new_client(auth)
    unreadable = "Basic " + base64.b64encode(b"\xff" + EVIL.encode() + b":\xfe").decode()
    async with token_endpoint(auth) as post:
        assert (await post("198.51.100.40", "hub_nobody", "x")).status_code == 401
        for header in (unreadable, "Basic "):
            response = await post("198.51.100.40", "", "", authorization=header)
            assert response.status_code == 401, response.text
            assert response.json()["error"] == "invalid_client"
            assert EVIL not in response.text
        assert_throttled(await post("198.51.100.40", new.record.client_id, new.secret))
    assert hashes == []


def blocking_hashes(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, Callable[[], tuple[int, int, int]]]:
    """Replace hashing with a check that waits for ``release``; ``stats()``: now, max, calls."""
    release = threading.Event()
    lock = threading.Lock()
    state = {"now": 0, "max": 0, "calls": 0}

    def held(secret: str, stored: str) -> bool:
        with lock:
            state["now"] += 1
            state["calls"] += 1
            state["max"] = max(state["max"], state["now"])
        release.wait(30)
        with lock:
            state["now"] -= 1
        return False

    monkeypatch.setattr(hashing, "verify_secret", held)
    return release, lambda: (state["now"], state["max"], state["calls"])


async def test_hashing_runs_off_the_event_loop_a_few_at_a_time(
    tmp_path: Path, keys_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = throttled_settings(auth_failure_burst=100, auth_hash_concurrency=2)
    async with started(settings, tmp_path, keys_dir) as auth, token_endpoint(auth) as post:
        new = await new_client(auth)
        release, stats = blocking_hashes(monkeypatch)
        tasks = [
            asyncio.create_task(post(f"192.0.2.{n}", new.record.client_id, "wrong"))
            for n in range(6)
        ]
        try:
            for _ in range(500):  # the loop keeps running while two hashes are held
                if stats()[0] == 2:
                    break
                await asyncio.sleep(0.01)
            for _ in range(20):
                await asyncio.sleep(0.01)  # time for a third to start, were it allowed
            assert stats()[:2] == (2, 2)
        finally:
            release.set()
        responses = await asyncio.gather(*tasks)
    assert [r.status_code for r in responses] == [401] * 6
    assert stats() == (0, 2, 6)


async def test_queued_checks_are_refused_once_the_throttle_runs_out(
    tmp_path: Path, keys_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = throttled_settings(auth_failure_burst=2, auth_hash_concurrency=1)
    async with started(settings, tmp_path, keys_dir) as auth, token_endpoint(auth) as post:
        new = await new_client(auth)
        release, stats = blocking_hashes(monkeypatch)
        tasks = [
            asyncio.create_task(post("198.51.100.60", new.record.client_id, "wrong"))
            for _ in range(5)
        ]
        for _ in range(500):
            if stats()[0] == 1:
                break
            await asyncio.sleep(0.01)
        release.set()
        responses = await asyncio.gather(*tasks)
    assert sorted(r.status_code for r in responses) == [401, 401, 429, 429, 429]
    assert stats()[2] == 2  # only as many hashes as failures allowed


# --- shared through Redis -------------------------------------------------------------


@pytest.mark.redis
async def test_replicas_share_failure_counts_through_redis(
    tmp_path: Path, keys_dir: Path, redis_env: dict[str, str]
) -> None:
    settings = replace(
        throttled_settings(),
        redis_url=redis_env["HUB_REDIS_URL"],
        redis_prefix=redis_env["HUB_REDIS_PREFIX"],
    )
    async with (
        started(settings, tmp_path / "one", keys_dir) as one,
        started(settings, tmp_path / "two", keys_dir) as two,
    ):
        for replica in (one, one, two):
            await refused(replica.authenticate("Bearer nonsense", "198.51.100.70"))
        for replica in (one, two):
            refusal = await refused(replica.authenticate("Bearer nonsense", "198.51.100.70"))
            assert refusal.code == RATE_LIMITED
        assert not one.throttle.buckets.local._buckets  # counted in Redis, not in memory
