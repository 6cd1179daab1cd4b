"""The crash test: a hub process SIGKILLed mid-saga, restarted, loses and doubles nothing.

Everything is a real process on 127.0.0.1: the three reference networks
(``networks.launcher``) and the hub (``hub serve --port 0`` on a SQLite file of the test's
own). The order is sent over HTTP; the test watches the hub's database file to kill the
hub at the moment it wants, restarts it on the same file, and then checks, order by order,
that the hub and the networks' own databases agree.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from federation.orders.database import connect
from federation.orders.model import OrderState, SubOrderState
from hub.auth.clients import ClientStore
from networks.launcher import Launcher, LaunchOptions
from networks.padi.settings import PadiSettings
from networks.sejuk.settings import SejukSettings
from networks.tangerang.settings import TangerangSettings
from resolvers.ids import to_global_id
from tests.federation.orders.network_db import CANCELLED, statuses
from tests.schema.test_orders import PLACE, order_input
from tests.support.live import LiveNetworks, federation_over

HOST = "127.0.0.1"
PRODUCTS = 60
# The path prefix each network places orders under: a fault there slows placing only.
ORDER_PATHS = {"sejuk": "/api/v1/pesanan", "tangerang": "/v2/orders", "padi": "/graphql"}
SLOW_MS = 5000
# How the second network is slowed. latency_ms: the request waits before the network reads
# it, so a request the hub abandons never lands. slow_stream_ms: the network places the
# order, then trickles its answer, so the order exists but the hub never hears of it.
LANDS_BEFORE_ANSWERING = {"latency_ms": False, "slow_stream_ms": True}
# Bounds: far above what a passing run needs (the restarted hub waits out a 10 s lease).
START_SECONDS = 120.0
POLL_SECONDS = 0.1
MAX_POLLS = 900
FINAL = frozenset({OrderState.CONFIRMED, OrderState.FAILED})
HUB_ORDER = """query O($id: ID!) { order(id: $id) {
  id status failureReason subOrders { network { code } reference nativeId state } } }"""


@dataclass(frozen=True)
class ChildNetworks:
    """The networks as child processes: their URLs and their own database files."""

    live: LiveNetworks
    databases: dict[str, Path]


@pytest.fixture(scope="module")
def networks_running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChildNetworks]:
    """SEJUK, Tangerang and PaDi as processes on free ports, seeded in a tmp folder."""
    data_dir = tmp_path_factory.mktemp("networks")
    launcher = Launcher(
        LaunchOptions(
            host=HOST, data_dir=data_dir, products=PRODUCTS, ports=dict.fromkeys(ORDER_PATHS, 0)
        )
    )
    started = launcher.start()
    try:
        urls = {net.code: net.url for net in started}
        databases = {
            "sejuk": SejukSettings(data_dir=data_dir, products=PRODUCTS).database,
            "tangerang": TangerangSettings(data_dir=data_dir, products=PRODUCTS).database,
            "padi": PadiSettings(data_dir=data_dir, products=PRODUCTS).database,
        }
        yield ChildNetworks(LiveNetworks(urls, {}), databases)
    finally:
        launcher.stop()


@dataclass
class HubProcess:
    """A running ``hub serve``: its base URL and everything it printed so far."""

    process: asyncio.subprocess.Process
    output: list[str] = field(default_factory=list)
    url: str = ""

    def log(self) -> str:
        return "".join(self.output[-80:])


@contextlib.asynccontextmanager
async def hub_serving(database: Path, networks: ChildNetworks) -> AsyncIterator[HubProcess]:
    """``hub serve --port 0`` on ``database`` over ``networks``, once it says it is serving.

    Stopped on the way out (SIGTERM, then SIGKILL) unless the test killed it already.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("HUB_")}
    env.update(
        PYTHONUNBUFFERED="1",
        HUB_DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        HUB_AUTH_KEYS_DIR=str(database.parent / "keys"),
        # Long enough that a slowed network is waited on, not timed out and retried.
        HUB_NETWORK_TIMEOUT="15",
        **{f"HUB_NETWORK_{code.upper()}_URL": url for code, url in networks.live.urls.items()},
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hub.cli", "serve", "--host", HOST, "--port", "0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=env,
    )  # fmt: skip
    hub = HubProcess(process)
    serving: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def read() -> None:
        assert process.stdout is not None
        async for raw in process.stdout:
            line = raw.decode(errors="replace")
            hub.output.append(line)
            match = re.search(r"serving (http://\S+)/graphql", line)
            if match and not serving.done():
                serving.set_result(match.group(1))
        if not serving.done():
            serving.set_exception(RuntimeError("the hub exited before serving:\n" + hub.log()))

    reader = asyncio.create_task(read())
    try:
        async with asyncio.timeout(START_SECONDS):
            hub.url = await serving
        yield hub
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                async with asyncio.timeout(15):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
        await reader


async def kill(hub: HubProcess) -> None:
    """SIGKILL: no shutdown, no clean-up, whatever the hub was doing."""
    hub.process.send_signal(signal.SIGKILL)
    await hub.process.wait()


def hub_rows(database: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Rows from the hub's SQLite file, read-only; none while it does not exist yet."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
            return list(conn.execute(sql, args))
    except sqlite3.OperationalError:
        return []


def order_state(database: Path, key: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(order id, status, [(network, sub-order state), ...]) for the order ``key`` made."""
    heads = hub_rows(database, "SELECT id, status FROM orders WHERE idempotency_key = ?", key)
    if not heads:
        return None
    order_id, status = heads[0]
    subs = hub_rows(
        database, "SELECT network, state FROM sub_orders WHERE order_id = ? ORDER BY id", order_id
    )
    return str(order_id), str(status), [(str(n), str(s)) for n, s in subs]


async def poll(what: str, check: Callable[[], bool], hub: HubProcess) -> None:
    """Wait until ``check()`` holds (bounded); fails with the hub's output otherwise."""
    for _ in range(MAX_POLLS):
        if check():
            return
        assert hub.process.returncode is None, f"the hub exited while waiting for {what}"
        await asyncio.sleep(POLL_SECONDS)
    raise AssertionError(f"no {what} after {MAX_POLLS} polls:\n{hub.log()}")


async def bearer(hub: HubProcess, database: Path, organisation: str) -> dict[str, str]:
    """The Authorization header of a new client of ``organisation`` (orders only are an
    organisation's own: the hub answers no anonymous request for them)."""
    engine = connect(f"sqlite+aiosqlite:///{database}")
    try:
        new = await ClientStore(engine).create(organisation, "orders:read orders:write", "crash")
    finally:
        await engine.dispose()
    async with httpx.AsyncClient(base_url=hub.url, timeout=30) as client:
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(new.record.client_id, new.secret),
        )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def post_order(
    hub: HubProcess, order_in: dict[str, Any], headers: dict[str, str]
) -> httpx.Response | None:
    """placeOrder over HTTP; None when the hub went away before answering."""
    try:
        async with httpx.AsyncClient(base_url=hub.url, timeout=60, headers=headers) as client:
            return await client.post(
                "/graphql", json={"query": PLACE, "variables": {"input": order_in}}
            )
    except httpx.HTTPError:
        return None


async def settled(database: Path, hub: HubProcess) -> None:
    """Wait until every order in the hub's database is CONFIRMED or FAILED (bounded)."""

    def done() -> bool:
        found = hub_rows(database, "SELECT status FROM orders")
        return bool(found) and all(OrderState(s) in FINAL for (s,) in found)

    await poll("settled orders", done, hub)


async def assert_hub_and_networks_agree(
    database: Path, hub: HubProcess, networks: ChildNetworks
) -> list[dict[str, Any]]:
    """Order by order, as the hub's API tells its buyer and as each network's own database
    holds it.

    A sub-order the network knows is there exactly once, cancelled there iff the order
    FAILED; a CONFIRMED order is live at every one of its networks. Returns the orders.
    """
    seen = []
    rows = hub_rows(database, "SELECT id, buyer_id FROM orders ORDER BY created_at")
    for order_id, buyer_id in rows:
        headers = await bearer(hub, database, buyer_id)
        async with httpx.AsyncClient(base_url=hub.url, timeout=30, headers=headers) as client:
            variables = {"id": to_global_id("Order", order_id)}
            body = (
                await client.post("/graphql", json={"query": HUB_ORDER, "variables": variables})
            ).json()
            assert "errors" not in body, body
            order = body["data"]["order"]
            failed = order["status"] == OrderState.FAILED
            assert OrderState(order["status"]) in FINAL, order
            for sub in order["subOrders"]:
                code = sub["network"]["code"]
                found = statuses(networks.databases[code], code, sub["reference"])
                assert len(found) <= 1, (order, found)  # never doubled
                if sub["nativeId"] is not None or not failed:
                    assert len(found) == 1, (order, found)  # never lost
                assert all((status in CANCELLED) == failed for status in found), (order, found)
                expected = SubOrderState.CANCELLED if failed else SubOrderState.PLACED
                if found:
                    assert sub["state"] == expected, order
            seen.append(order)
    return seen


@pytest.mark.parametrize(
    ("first", "second", "fault", "skip"),
    [
        ("sejuk", "tangerang", "latency_ms", 1),
        ("padi", "sejuk", "latency_ms", 2),
        ("tangerang", "sejuk", "slow_stream_ms", 4),
    ],
)
async def test_a_hub_killed_between_two_placements_finishes_the_saga_after_restart(
    networks_running: ChildNetworks,
    tmp_path: Path,
    first: str,
    second: str,
    fault: str,
    skip: int,
) -> None:
    """Killed with ``first`` placed and ``second`` sent (slowed down), restarted: it agrees.

    With ``slow_stream_ms`` the second network already holds the order when the hub dies
    (its answer is what is slow): the restarted hub must find it, not place it again.
    """
    live = networks_running.live
    database = tmp_path / "hub.sqlite3"
    async with federation_over(live) as federation:
        order_in = await order_input(federation, first, second, skip=skip)
    key = order_in["idempotencyKey"]
    await live.clear_faults()
    try:
        async with hub_serving(database, networks_running) as hub:
            await live.set_faults(second, **{fault: SLOW_MS}, paths=[ORDER_PATHS[second]])
            headers = await bearer(hub, database, order_in["buyerId"])
            sending = asyncio.create_task(post_order(hub, order_in, headers))

            def between() -> bool:
                state = order_state(database, key)
                if state is None or state[2] != [(first, "PLACED"), (second, "PLACING")]:
                    return False
                if not LANDS_BEFORE_ANSWERING[fault]:
                    return True
                # PLACING is written before the request goes out: wait until it has landed.
                landed = f"hub-{state[0]}-{second}"
                return bool(statuses(networks_running.databases[second], second, landed))

            await poll(f"{first} placed and {second} placing", between, hub)
            await kill(hub)
            assert await sending is None  # the caller never heard back
        await live.clear_faults()
        killed = order_state(database, key)
        assert killed is not None
        assert killed[1] == OrderState.PLACING
        reference = f"hub-{killed[0]}-{second}"
        held = statuses(networks_running.databases[second], second, reference)
        assert len(held) == int(LANDS_BEFORE_ANSWERING[fault])  # what the test set up

        async with hub_serving(database, networks_running) as hub:
            await settled(database, hub)
            orders = await assert_hub_and_networks_agree(database, hub, networks_running)
    finally:
        await live.clear_faults()
    assert [o["status"] for o in orders] == ["CONFIRMED"]
    if LANDS_BEFORE_ANSWERING[fault]:  # found by its reference, not placed a second time
        assert statuses(networks_running.databases[second], second, reference) == held


async def test_a_hub_killed_after_writing_the_order_and_before_placing_places_it_after_restart(
    networks_running: ChildNetworks, tmp_path: Path
) -> None:
    """The order row and its outbox task are written, nothing is placed, the hub dies.

    Deterministic: a trigger the test adds to the hub's database refuses the outbox claim
    (the first write after the order's own transaction), so the hub stands still right
    there until it is killed. The trigger is dropped before the restart.
    """
    live = networks_running.live
    database = tmp_path / "hub.sqlite3"
    async with federation_over(live) as federation:
        order_in = await order_input(federation, "tangerang", "padi", skip=3)
    key = order_in["idempotencyKey"]
    await live.clear_faults()
    async with hub_serving(database, networks_running) as hub:
        with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as conn:
            conn.execute(
                "CREATE TRIGGER hold_claims BEFORE UPDATE ON outbox "
                "BEGIN SELECT RAISE(ABORT, 'held by the crash test'); END"
            )
        await post_order(hub, order_in, await bearer(hub, database, order_in["buyerId"]))

        def written() -> bool:
            state = order_state(database, key)
            return state is not None and state[1:] == (
                "PENDING",
                [("tangerang", "PENDING"), ("padi", "PENDING")],
            )

        await poll("the order written and nothing placed", written, hub)
        await kill(hub)
    tasks = hub_rows(database, "SELECT attempts, locked_by, done_at FROM outbox")
    assert tasks == [(0, None, None)]
    written_id = hub_rows(database, "SELECT id FROM orders WHERE idempotency_key = ?", key)[0][0]
    for code in ("tangerang", "padi"):
        assert statuses(networks_running.databases[code], code, f"hub-{written_id}-{code}") == []
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER hold_claims")

    async with hub_serving(database, networks_running) as hub:
        await settled(database, hub)
        orders = await assert_hub_and_networks_agree(database, hub, networks_running)
    assert [o["status"] for o in orders] == ["CONFIRMED"]
