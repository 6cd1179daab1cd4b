"""Per-client rate limits: token buckets in memory, or shared by replicas through Redis."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request

from hub.ratelimit import LocalBuckets, RateLimiter, client_key
from hub.settings import SettingsError, load_settings
from networks.launcher import free_port
from tests.hub.conftest import request_total

HubFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]

QUERY = {"query": "{ __typename }"}
SEARCH = {"query": "{ search(first: 1) { edges { node { name } } } }"}


def limited(rate: str = "1", burst: str = "3", **more: str) -> dict[str, str]:
    return {
        "HUB_RATE_LIMIT": rate,
        "HUB_RATE_LIMIT_BURST": burst,
        "HUB_MAX_BATCH_SIZE": "3",
        **more,
    }


def assert_rate_limited(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED"}
    assert error["message"].startswith("Rate limit exceeded")
    retry_after = response.headers["retry-after"]
    assert retry_after.isdigit()
    assert int(retry_after) >= 1
    return int(retry_after)


# --- the bucket --------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    clock = Clock()
    buckets = LocalBuckets(rate=2.0, burst=3, clock=clock)
    assert [buckets.take("a", 1) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", 1) == pytest.approx(0.5)
    clock.now += 0.5
    assert buckets.take("a", 1) == 0.0
    assert buckets.take("a", 2) == pytest.approx(1.0)
    clock.now += 10
    assert buckets.take("a", 3) == 0.0  # refilled, but never past the burst
    assert buckets.take("a", 1) > 0


def test_each_client_has_its_own_bucket_and_old_ones_go() -> None:
    clock = Clock()
    buckets = LocalBuckets(rate=1.0, burst=1, max_clients=2, clock=clock)
    assert buckets.take("a", 1) == 0.0
    assert buckets.take("b", 1) == 0.0
    assert buckets.take("a", 1) > 0
    assert buckets.take("c", 1) == 0.0  # "b" was least recently seen: dropped
    assert len(buckets._buckets) == 2
    assert buckets.take("a", 1) > 0


def test_client_key_is_the_remote_address() -> None:
    scope: dict[str, Any] = {"type": "http", "client": ("203.0.113.7", 5555), "headers": []}
    assert client_key(Request(scope)) == "203.0.113.7"
    assert client_key(Request({"type": "http", "headers": []})) == "unknown"


async def test_the_client_key_function_can_be_swapped() -> None:
    limiter = RateLimiter(1.0, 1, key=lambda request: request.headers["x-client"])
    first = Request({"type": "http", "headers": [(b"x-client", b"one")]})
    second = Request({"type": "http", "headers": [(b"x-client", b"two")]})
    await limiter.admit(first)
    await limiter.admit(second)
    with pytest.raises(Exception, match="Rate limit"):
        await limiter.admit(first)


# --- over HTTP -----------------------------------------------------------------------------


async def test_exhausted_limit_is_429_with_retry_after(make_hub: HubFactory) -> None:
    async with make_hub(load_settings(limited(rate="0.5"))) as client:
        for _ in range(3):
            assert (await client.post("/graphql", json=QUERY)).status_code == 200
        assert assert_rate_limited(await client.post("/graphql", json=QUERY)) == 2
        legacy = await client.post("/graphql", json=QUERY, headers={"accept": "application/json"})
        assert_rate_limited(legacy)
        assert legacy.headers["content-type"].startswith("application/json")
        assert_rate_limited(await client.get("/graphql", params=QUERY))


async def test_a_batch_takes_a_token_per_operation(make_hub: HubFactory) -> None:
    async with make_hub(load_settings(limited(rate="0.1"))) as client:
        assert (await client.post("/graphql", json=[QUERY, QUERY])).status_code == 200
        assert_rate_limited(await client.post("/graphql", json=[QUERY, QUERY]))
        assert (await client.post("/graphql", json=QUERY)).status_code == 200


async def test_rate_limited_requests_reach_no_network(
    hub_over: HubFactory,
    networks: dict[str, Starlette],
    transports: dict[str, httpx.AsyncBaseTransport],
) -> None:
    async with hub_over(
        load_settings(limited(rate="0.1", burst="3")), transports=transports
    ) as client:
        for _ in range(3):
            assert (await client.post("/graphql", json=SEARCH)).status_code == 200
        reached = await request_total(networks)
        assert_rate_limited(await client.post("/graphql", json=SEARCH))
        assert await request_total(networks) == reached


async def test_rate_limit_zero_is_off(make_hub: HubFactory) -> None:
    async with make_hub(
        load_settings({"HUB_RATE_LIMIT": "0", "HUB_RATE_LIMIT_BURST": "1"})
    ) as client:
        for _ in range(5):
            assert (await client.post("/graphql", json=QUERY)).status_code == 200


def test_burst_must_hold_a_full_batch() -> None:
    with pytest.raises(SettingsError, match="rate_limit_burst"):
        load_settings({"HUB_RATE_LIMIT_BURST": "5", "HUB_MAX_BATCH_SIZE": "10"})
    with pytest.raises(SettingsError, match="rate_limit"):
        load_settings({"HUB_RATE_LIMIT": "-1"})


# --- shared through Redis ------------------------------------------------------------------


@pytest.mark.redis
async def test_two_replicas_share_one_bucket(
    make_hub: HubFactory, redis_env: dict[str, str]
) -> None:
    settings = load_settings(limited(rate="0.2", burst="4", **redis_env))
    async with make_hub(settings) as one, make_hub(settings) as two:
        assert (await one.post("/graphql", json=QUERY)).status_code == 200
        assert (await two.post("/graphql", json=QUERY)).status_code == 200
        assert (await one.post("/graphql", json=[QUERY, QUERY])).status_code == 200
        assert_rate_limited(await two.post("/graphql", json=QUERY))
        assert_rate_limited(await one.post("/graphql", json=QUERY))


@pytest.mark.redis
async def test_shared_buckets_expire_once_full_again(redis_env: dict[str, str]) -> None:
    from redis.asyncio import Redis

    from hub.shared import SharedRedis

    shared = SharedRedis(redis_env["HUB_REDIS_URL"], redis_env["HUB_REDIS_PREFIX"])
    limiter = RateLimiter(2.0, 4, redis=shared)
    try:
        assert await limiter.take("198.51.100.1", 4) == 0.0
        assert await limiter.take("198.51.100.1", 1) == pytest.approx(0.5, abs=0.05)
        client: Redis = shared.client
        ttl = await client.pttl(shared.key("ratelimit", "198.51.100.1"))
        assert 2000 < ttl <= 3000  # burst / rate, plus a second
    finally:
        await shared.aclose()


async def test_redis_down_fails_open_to_this_replicas_bucket(
    make_hub: HubFactory, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"redis://127.0.0.1:{free_port('127.0.0.1')}/0"
    settings = load_settings(
        limited(rate="0.1", burst="2", HUB_MAX_BATCH_SIZE="2", HUB_REDIS_URL=closed)
    )
    with caplog.at_level(logging.WARNING, logger="hub.shared"):
        async with make_hub(settings) as client:
            for _ in range(2):
                assert (await client.post("/graphql", json=QUERY)).status_code == 200
            assert_rate_limited(await client.post("/graphql", json=QUERY))
    warnings = [r for r in caplog.records if r.name == "hub.shared"]
    assert len(warnings) == 1
    assert "Redis unavailable" in warnings[0].getMessage()
