from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
from starlette.applications import Starlette

from networks.testing import in_process
from tests.networks.common.conftest import ADMIN, make_app


async def test_seeds_on_first_start_and_serves(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        response = await client.get("/things")
        health = await client.get("/healthz")
    assert response.status_code == 200
    assert len(response.json()["things"]) == 50
    assert health.json() == {"status": "ok", "network": "toy"}


async def test_second_start_keeps_the_data_and_reset_reseeds(tmp_path: Path) -> None:
    async with in_process(make_app(tmp_path)) as client:
        await client.get("/things")
    database_file = next(tmp_path.glob("toy-*.sqlite3"))
    with sqlite3.connect(database_file) as conn:
        conn.execute("DELETE FROM things WHERE id > 10")

    async with in_process(make_app(tmp_path)) as client:
        kept = (await client.get("/things")).json()["things"]
    async with in_process(make_app(tmp_path, reset=True)) as client:
        reseeded = (await client.get("/things")).json()["things"]

    assert len(kept) == 10
    assert len(reseeded) == 50
    assert not list(tmp_path.glob("*.seeding"))


async def test_admin_faults_need_the_admin_token(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        anonymous = await client.get("/admin/faults")
        wrong = await client.get("/admin/faults", headers={"authorization": "Bearer nope"})
        right = await client.get("/admin/faults", headers=ADMIN)
    assert anonymous.status_code == 401
    assert wrong.status_code == 401
    assert right.status_code == 200
    assert right.json()["error_rate"] == 0


async def test_fault_update_rejects_bad_values(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        too_high = await client.put("/admin/faults", json={"error_rate": 2}, headers=ADMIN)
        unknown = await client.put("/admin/faults", json={"explode": True}, headers=ADMIN)
        not_json = await client.put("/admin/faults", content=b"{oops", headers=ADMIN)
    assert too_high.status_code == 422
    assert unknown.status_code == 422
    assert not_json.status_code == 400


async def test_health_stays_up_while_the_network_is_down(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        await client.put("/admin/faults", json={"down": "503"}, headers=ADMIN)
        assert (await client.get("/things")).status_code == 503
        assert (await client.get("/healthz")).status_code == 200


async def test_httpx_sees_the_whole_body_when_healthy(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        response = await client.get("/stream")
    assert isinstance(response, httpx.Response)
    assert response.text == "chunk 0\nchunk 1\nchunk 2\n"


async def test_counts_the_requests_it_serves_but_not_admin_calls(toy_app: Starlette) -> None:
    async with in_process(toy_app) as client:
        await client.get("/things")
        await client.get("/things")
        await client.get("/stream")
        await client.get("/healthz")
        counted = (await client.get("/admin/requests", headers=ADMIN)).json()
        await client.delete("/admin/requests", headers=ADMIN)
        after_reset = (await client.get("/admin/requests", headers=ADMIN)).json()
    assert counted == {"total": 3, "by_route": {"GET /things": 2, "GET /stream": 1}}
    assert after_reset["total"] == 0
