"""The hub keeps its catalog index: loaded at start, searched by default, ``hub sync``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import anyio.to_thread
import httpx
import pytest

from hub.cli import main
from hub.settings import load_settings
from tests.hub.conftest import HubFactory
from tests.support.live import CREDENTIALS, live_networks

FRESHNESS = "{ networks { code syncedAt stale } }"
SEARCH = '{ search(text: "beras", first: 5) { edges { node { name } } networks { code status } } }'
MAX_POLLS = 300  # bound on waiting for the first load: far above what a passing run needs


async def test_the_hub_loads_its_index_at_start_then_answers_from_it(
    hub_over: HubFactory, transports: dict[str, httpx.AsyncBaseTransport]
) -> None:
    settings = load_settings({"HUB_RATE_LIMIT": "0"})
    async with hub_over(settings, transports=transports) as client:
        live = (await client.post("/graphql", json={"query": SEARCH})).json()
        for _ in range(MAX_POLLS):
            answer = (await client.post("/graphql", json={"query": FRESHNESS})).json()
            if all(n["syncedAt"] for n in answer["data"]["networks"]):
                break
            await asyncio.sleep(0.05)
        assert all(n["stale"] is False for n in answer["data"]["networks"]), answer
        indexed = (await client.post("/graphql", json={"query": SEARCH})).json()
    # Before the first load the networks answer live; after it, the index does.
    assert {n["status"] for n in live["data"]["search"]["networks"]} <= {"OK", "INDEXED"}
    assert {n["status"] for n in indexed["data"]["search"]["networks"]} == {"INDEXED"}
    assert indexed["data"]["search"]["edges"]


async def test_without_the_index_every_search_is_live(
    hub_over: HubFactory, transports: dict[str, httpx.AsyncBaseTransport]
) -> None:
    settings = load_settings({"HUB_RATE_LIMIT": "0", "HUB_INDEX": "false"})
    async with hub_over(settings, transports=transports) as client:
        answer = (await client.post("/graphql", json={"query": SEARCH})).json()
        fresh = (await client.post("/graphql", json={"query": FRESHNESS})).json()
    assert {n["status"] for n in answer["data"]["search"]["networks"]} == {"OK"}
    assert all(n["syncedAt"] is None and n["stale"] is None for n in fresh["data"]["networks"])


async def test_hub_sync_loads_the_networks_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with live_networks(tmp_path / "networks") as networks:
        monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3")
        for code, url in networks.urls.items():
            monkeypatch.setenv(f"HUB_NETWORK_{code.upper()}_URL", url)
        for code, credentials in CREDENTIALS.items():
            for key, value in credentials.items():
                monkeypatch.setenv(f"HUB_NETWORK_{code.upper()}_{key.upper()}", value)

        synced = await anyio.to_thread.run_sync(main, ["sync", "--network", "sejuk"])
        out = capsys.readouterr().out
        unknown = await anyio.to_thread.run_sync(main, ["sync", "--network", "bandung"])
        refused = capsys.readouterr().err
        await networks.set_faults("tangerang", down="503")
        failed = await anyio.to_thread.run_sync(main, ["sync", "--network", "tangerang"])
        failure = capsys.readouterr().out

    assert synced == 0
    assert out.startswith("sejuk: full load in ")
    assert "products written" in out
    assert "tangerang" not in out
    assert unknown == 2
    assert "unknown network bandung" in refused
    assert failed == 1
    assert failure.startswith("tangerang: full load failed")
