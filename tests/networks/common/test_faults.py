from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from networks.common.faults import FaultConfig, FaultInjector, FaultUpdate
from networks.testing import in_process, on_free_port
from tests.networks.common.conftest import ADMIN, make_app


async def test_error_rate_one_fails_every_request_until_reset(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        await client.put("/admin/faults", json={"error_rate": 1}, headers=ADMIN)
        failed = [(await client.get("/things")).status_code for _ in range(5)]
        await client.delete("/admin/faults", headers=ADMIN)
        healed = await client.get("/things")
    assert failed == [500] * 5
    assert healed.status_code == 200


async def test_error_rate_is_a_share_of_requests(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        await client.put("/admin/faults", json={"error_rate": 0.5}, headers=ADMIN)
        codes = [(await client.get("/things")).status_code for _ in range(200)]
    assert 60 < codes.count(500) < 140
    assert set(codes) == {200, 500}


async def test_down_503_says_when_to_retry(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        await client.put("/admin/faults", json={"down": "503"}, headers=ADMIN)
        response = await client.get("/things")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"


async def test_malformed_bodies_are_not_json(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        await client.put("/admin/faults", json={"malformed_rate": 1}, headers=ADMIN)
        response = await client.get("/things")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(ValueError, match=r"."):
        response.json()


def test_latency_adds_fixed_delay_and_bounded_jitter() -> None:
    faults = FaultInjector(FaultConfig(latency_ms=20, jitter_ms=10), seed=1)
    delays = [faults.delay_seconds() for _ in range(100)]
    assert all(0.020 <= d <= 0.030 for d in delays)
    assert len(set(delays)) > 50


async def test_latency_delays_responses(tmp_path: Path) -> None:
    async with in_process(make_app(tmp_path)) as client:
        await client.put("/admin/faults", json={"latency_ms": 150}, headers=ADMIN)
        started = time.monotonic()
        await client.get("/things")
        elapsed = time.monotonic() - started
    # A behaviour check (the delay is applied), with a floor only: never an upper bound.
    assert elapsed >= 0.15


async def test_slow_stream_delivers_the_body_in_pieces(tmp_path: Path) -> None:
    app = make_app(tmp_path, faults=FaultConfig(slow_stream_ms=30))
    async with on_free_port(app) as url, httpx.AsyncClient(base_url=url) as client:
        async with client.stream("GET", "/things") as response:
            pieces = [piece async for piece in response.aiter_raw()]
        body = b"".join(pieces)
    assert len(pieces) > 1
    assert len(body) > 256


async def test_refused_connections_then_listening_again(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with on_free_port(app) as url, httpx.AsyncClient(base_url=url) as client:
        await client.put("/admin/faults", json={"down": "refuse", "down_seconds": 1}, headers=ADMIN)
        await asyncio.sleep(0.3)
        with pytest.raises(httpx.ConnectError):
            await client.get("/things")
        for _ in range(50):
            await asyncio.sleep(0.1)
            try:
                back = await client.get("/things")
                break
            except httpx.ConnectError:
                continue
        faults = (await client.get("/admin/faults", headers=ADMIN)).json()
    assert back.status_code == 200
    assert faults["down"] == ""


async def test_faults_set_at_start_apply_from_the_first_request(tmp_path: Path) -> None:
    app = make_app(tmp_path, faults=FaultConfig(down="503"))
    async with in_process(app) as client:
        assert (await client.get("/things")).status_code == 503


def test_update_changes_only_what_it_names() -> None:
    faults = FaultInjector(FaultConfig(latency_ms=5, error_rate=0.2))
    faults.update(FaultUpdate(error_rate=0.0))
    assert faults.config.latency_ms == 5
    assert faults.config.error_rate == 0


async def test_faults_can_hit_some_paths_only(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        await client.put("/admin/faults", json={"down": "503", "paths": ["/stream"]}, headers=ADMIN)
        assert (await client.get("/stream")).status_code == 503
        assert (await client.get("/things")).status_code == 200
