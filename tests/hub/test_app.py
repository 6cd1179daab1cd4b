"""The app: lifespan builds the federation over real networks; /healthz and /readyz."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

import httpx
from starlette.applications import Starlette

from hub.settings import load_settings
from networks.launcher import free_port

HubFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
Faults = Callable[..., Awaitable[None]]


async def test_healthz(hub: httpx.AsyncClient) -> None:
    response = await hub.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_all_networks_up(
    hub_over: HubFactory, transports: dict[str, httpx.AsyncBaseTransport]
) -> None:
    async with hub_over(load_settings({}), transports=transports) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert [(n["code"], n["status"]) for n in body["networks"]] == [
        ("sejuk", "OK"),
        ("tangerang", "OK"),
        ("padi", "OK"),
    ]
    assert all(n["latencyMs"] >= 0 for n in body["networks"])


async def test_readyz_one_network_down_is_degraded_but_200(
    hub_over: HubFactory,
    networks: dict[str, Starlette],
    transports: dict[str, httpx.AsyncBaseTransport],
    faults: Faults,
) -> None:
    await faults(networks["tangerang"], down="503")
    async with hub_over(load_settings({}), transports=transports) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    statuses = {n["code"]: n["status"] for n in body["networks"]}
    assert statuses == {"sejuk": "OK", "tangerang": "ERROR", "padi": "OK"}
    [down] = [n for n in body["networks"] if n["code"] == "tangerang"]
    assert down["message"]


async def test_readyz_all_networks_down_is_503(
    hub_over: HubFactory,
    networks: dict[str, Starlette],
    transports: dict[str, httpx.AsyncBaseTransport],
    faults: Faults,
) -> None:
    for app in networks.values():
        await faults(app, down="503")
    async with hub_over(load_settings({}), transports=transports) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert {n["status"] for n in response.json()["networks"]} == {"ERROR"}


async def test_readyz_nothing_listening_is_503(hub_over: HubFactory) -> None:
    closed = {
        code: f"http://127.0.0.1:{free_port('127.0.0.1')}"
        for code in ("sejuk", "tangerang", "padi")
    }
    settings = load_settings({}).with_network_urls(closed)
    async with hub_over(settings) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503


async def test_public_schema_answers_over_real_networks(
    hub_over: HubFactory, transports: dict[str, httpx.AsyncBaseTransport]
) -> None:
    async with hub_over(load_settings({}), transports=transports) as client:
        response = await client.post("/graphql", json={"query": "{ networks { code } }"})
    assert response.status_code == 200, response.text
    codes = [n["code"] for n in response.json()["data"]["networks"]]
    assert codes == ["sejuk", "tangerang", "padi"]


class ClosingTransport(httpx.ASGITransport):
    """An in-process transport that remembers being closed."""

    closed = False

    async def aclose(self) -> None:
        self.closed = True
        await super().aclose()


async def test_lifespan_builds_and_closes_the_connectors(networks: dict[str, Starlette]) -> None:
    from hub.app import create_app
    from tests.hub.conftest import private_database

    transports = {code: ClosingTransport(app=app) for code, app in networks.items()}
    app = create_app(private_database(load_settings({})), transports=transports)
    async with app.router.lifespan_context(app):
        assert app.state.federation.codes == ("sejuk", "tangerang", "padi")
        assert not any(t.closed for t in transports.values())
    assert all(t.closed for t in transports.values())
