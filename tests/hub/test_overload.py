"""Load shedding: past the in-flight cap a flood is refused at once (503 OVERLOADED with
Retry-After), and another client's query still answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from starlette.applications import Starlette

from hub.app import create_app
from hub.settings import load_settings
from tests.hub.conftest import private_database, set_fault

NEW = "application/graphql-response+json"
SLOW_SEARCH = '{ search(text: "beras", first: 5, live: true) { edges { node { name } } } }'


@asynccontextmanager
async def clients_of(app: Starlette, *addresses: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One HTTP client per remote address: an open hub tells callers apart by address."""
    async with AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app, client=(address, 4000)),
                    base_url="http://hub",
                    timeout=60,
                )
            )
            for address in addresses
        ]


async def test_a_flood_is_shed_and_another_client_still_answers(
    networks: dict[str, Starlette], transports: dict[str, httpx.AsyncBaseTransport]
) -> None:
    settings = private_database(
        load_settings({"HUB_MAX_IN_FLIGHT": "8", "HUB_RATE_LIMIT": "0", "HUB_INDEX": "false"})
    )
    app = create_app(settings, transports=transports)
    await set_fault(networks["sejuk"], latency_ms=1500)  # each live search holds its place
    try:
        async with (
            app.router.lifespan_context(app),
            clients_of(app, "10.0.0.1", "10.0.0.2") as (flooder, other),
        ):
            flood = [
                asyncio.create_task(flooder.post("/graphql", json={"query": SLOW_SEARCH}))
                for _ in range(30)
            ]
            pipeline = app.state.pipeline
            for _ in range(600):  # until the flood holds what one caller may (generous bound)
                if pipeline.in_flight >= 4:
                    break
                await asyncio.sleep(0.05)
            trivial = await other.post(
                "/graphql", json={"query": "{ networks { code } }"}, headers={"accept": NEW}
            )
            answers = await asyncio.gather(*flood)
    finally:
        await set_fault(networks["sejuk"], latency_ms=0)
    assert trivial.status_code == 200
    assert "errors" not in trivial.json()
    shed = [a for a in answers if a.status_code == 503]
    assert shed, "the flood was queued instead of shed"
    assert all(a.headers["retry-after"] == "1" for a in shed)
    assert {a.json()["errors"][0]["extensions"]["code"] for a in shed} == {"OVERLOADED"}
    assert {a.status_code for a in answers} == {200, 503}  # the admitted ones answered
