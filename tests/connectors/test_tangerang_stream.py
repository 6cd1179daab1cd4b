"""Tangerang's live transaction stream through the connector, over real HTTP.

ASGITransport buffers whole bodies, so these tests serve the network on a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from connectors.errors import NetworkProtocolError, NetworkRejected, NetworkUnavailable
from connectors.records import Buyer, OrderLineRequest, OrderRequest, TransactionRecord
from connectors.registry import ConnectorConfig
from connectors.tangerang import TangerangConnector
from connectors.tangerang.sse import EventParser, ServerSentEvent
from connectors.tangerang.stream import StreamPolicy, TransactionStream
from networks.tangerang.app import create_app
from networks.tangerang.broadcast import Broadcaster
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth
from networks.testing import on_free_port
from tests.connectors.logs import logged_for

CLIENT_ID = "koperasi-hub"
SECRET = "tangerang-dev-secret"
ADMIN = {"Authorization": "Bearer admin-dev-token"}
COOP = "coop_000001"
STREAM = "/v2/transactions/stream"


def config(base_url: str, **credentials: str) -> ConnectorConfig:
    return ConnectorConfig(
        code="tangerang",
        kind="tangerang",
        base_url=base_url,
        credentials=credentials or {"client_id": CLIENT_ID, "secret": SECRET},
        timeout=2.0,
    )


class LastEventIds:
    """ASGI middleware noting the ``Last-Event-ID`` of every stream request (None: absent)."""

    def __init__(self, app: ASGIApp, seen: list[str | None]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == STREAM:
            headers = dict(scope["headers"])
            raw = headers.get(b"last-event-id")
            self.seen.append(None if raw is None else raw.decode())
        await self.app(scope, receive, send)


class Network:
    """A served Tangerang network: its URL, a signed client, its broadcaster."""

    def __init__(self, app: Starlette, url: str, client: httpx.AsyncClient) -> None:
        self.app = app
        self.url = url
        self.client = client
        self.stream_requests: list[str | None] = app.state.stream_requests

    @property
    def broadcaster(self) -> Broadcaster:
        found: Broadcaster = self.app.state.tangerang.broadcaster
        return found

    async def transaction(self, amount: str, coop: str = COOP) -> dict[str, Any]:
        response = await self.client.post(
            "/admin/transactions",
            json={"cooperative_id": coop, "amount": amount, "description": "Setoran tunai"},
            headers=ADMIN,
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def listeners(self, count: int) -> None:
        """Wait until the network has ``count`` live stream subscribers."""
        async with asyncio.timeout(10):
            while self.broadcaster.subscriber_count != count:
                await asyncio.sleep(0.01)


@asynccontextmanager
async def served(tmp_path: Path) -> AsyncIterator[Network]:
    settings = TangerangSettings(
        data_dir=tmp_path,
        products=120,
        stream_keepalive_seconds=0.2,
        hmac_clients={CLIENT_ID: SECRET},
    )
    app = create_app(settings)
    app.state.stream_requests = []
    app.add_middleware(LastEventIds, seen=app.state.stream_requests)
    async with (
        on_free_port(app) as url,
        httpx.AsyncClient(base_url=url, auth=HmacAuth(CLIENT_ID, SECRET), timeout=10) as client,
    ):
        yield Network(app, url, client)


class Collector:
    """Consumes a stream in a task, so the test can act while it listens."""

    def __init__(self, stream: TransactionStream) -> None:
        self.stream = stream
        self.records: list[TransactionRecord] = []
        self._arrived = asyncio.Event()
        self.task = asyncio.create_task(self._consume())

    async def _consume(self) -> None:
        async for record in self.stream:
            self.records.append(record)
            self._arrived.set()

    async def until(self, count: int) -> list[TransactionRecord]:
        async with asyncio.timeout(15):
            while len(self.records) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.records


def record_of(native: dict[str, Any]) -> TransactionRecord:
    return TransactionRecord(
        network="tangerang",
        id=native["id"],
        cooperative_id=native["cooperative_id"],
        kind=native["type"],
        amount=int(native["amount"].split(".")[0]),
        description=native["description"],
        occurred_at=native["occurred_at"],
    )


async def test_events_created_while_listening_arrive_in_order(tmp_path: Path) -> None:
    async with served(tmp_path) as network:
        connector = TangerangConnector(config(network.url))
        stream = connector.transactions(COOP)
        collector = Collector(stream)
        await network.listeners(1)

        deposit = await network.transaction("150000.00")
        await network.transaction("99000.00", coop="coop_000002")  # another cooperative's
        members = (await network.client.get(f"/v2/cooperatives/{COOP}/members")).json()["items"]
        bills = await network.client.get(
            f"/v2/members/{members[0]['id']}/bills", params={"status": "unpaid"}
        )
        payment = await network.client.post(f"/v2/bills/{bills.json()['items'][0]['id']}:pay")
        assert payment.status_code == 200, payment.text
        item = (await network.client.get("/v2/catalog/items", params={"in_stock": "true"})).json()
        placed = await connector.place_order(
            OrderRequest(
                reference="stream-order",
                buyer=Buyer("Koperasi Satu", COOP, "tangerang", "36.71"),
                lines=(OrderLineRequest(item["items"][0]["id"], item["items"][0]["min_order"]),),
            )
        )
        withdrawal = await network.transaction("2500.00")

        received = await collector.until(4)
        listed = await network.client.get(
            "/v2/transactions", params={"cooperative_id": COOP, "limit": "100"}
        )
        since = [t for t in listed.json()["items"] if t["seq"] >= deposit["seq"]]
        assert received == [record_of(t) for t in since]
        assert [r.kind for r in received] == [
            "adjustment",
            "bill_payment",
            "order_created",
            "adjustment",
        ]
        assert received[0].amount == 150_000
        assert received[1] == record_of(payment.json()["transaction"])
        assert received[2].amount == placed.total
        assert received[3] == record_of(withdrawal)
        assert stream.connections == 1

        await stream.aclose()
        await network.listeners(0)  # the network saw the connection close
        with pytest.raises(StopAsyncIteration):
            await anext(stream)
        await collector.task
        await connector.aclose()


async def test_a_dropped_connection_resumes_without_loss_or_repeats(tmp_path: Path) -> None:
    async with served(tmp_path) as network:
        # A long first delay leaves time to write transactions before the reconnection.
        policy = StreamPolicy(first_delay=2.0, max_delay=2.0)
        connector = TangerangConnector(config(network.url), stream_policy=policy)
        stream = connector.transactions(COOP)
        collector = Collector(stream)
        await network.listeners(1)
        before = await network.transaction("1000.00")
        await collector.until(1)

        async with httpx.AsyncClient(base_url=network.url) as admin:
            down = {"down": "refuse", "down_seconds": 1}
            assert (await admin.put("/admin/faults", json=down, headers=ADMIN)).status_code == 200
        await network.listeners(0)  # the network dropped the stream going down
        await until_reachable(network.url)
        missed = [await network.transaction(f"{n}000.00") for n in (2, 3)]
        assert stream.connections == 1  # still waiting to reconnect
        await network.listeners(1)
        after = await network.transaction("4000.00")

        received = await collector.until(4)
        assert received == [record_of(t) for t in [before, *missed, after]]
        assert stream.connections == 2
        assert network.stream_requests == [None, str(before["seq"])]
        assert stream.last_event_id == str(after["seq"])
        await asyncio.sleep(0.3)  # keep-alives only: nothing else arrives
        assert len(collector.records) == 4
        await stream.aclose()
        await collector.task
        await connector.aclose()


async def until_reachable(url: str) -> None:
    """Wait out a refusal: until a fresh connection is accepted again."""
    async with asyncio.timeout(15):
        while True:
            try:
                async with httpx.AsyncClient(base_url=url) as fresh:
                    await fresh.get("/healthz")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.05)


async def test_breaking_out_of_the_loop_closes_the_connection(tmp_path: Path) -> None:
    async with served(tmp_path) as network:
        connector = TangerangConnector(config(network.url))
        stream = connector.transactions(COOP)
        async with contextlib.aclosing(stream):
            waiting = asyncio.create_task(anext(stream))
            await network.listeners(1)
            created = await network.transaction("5000.00")
            assert await waiting == record_of(created)
        await network.listeners(0)
        await connector.aclose()


async def test_cancelling_the_consumer_closes_the_connection(tmp_path: Path) -> None:
    async with served(tmp_path) as network:
        connector = TangerangConnector(config(network.url))
        stream = connector.transactions(COOP)
        collector = Collector(stream)
        await network.listeners(1)
        collector.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await collector.task
        await network.listeners(0)
        with pytest.raises(StopAsyncIteration):
            await anext(stream)
        await connector.aclose()


async def test_closing_the_connector_ends_its_streams(tmp_path: Path) -> None:
    async with served(tmp_path) as network:
        connector = TangerangConnector(config(network.url))
        collector = Collector(connector.transactions(COOP))
        await network.listeners(1)
        await connector.aclose()
        async with asyncio.timeout(5):
            await collector.task
        await network.listeners(0)


async def test_refusals_are_final(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with served(tmp_path) as network:
        connector = TangerangConnector(config(network.url))
        with pytest.raises(NetworkRejected) as caught:
            await anext(connector.transactions("coop_999999"))
        assert caught.value.status == 404
        with pytest.raises(NetworkRejected) as caught:
            await anext(connector.transactions("koperasi-satu"))
        assert caught.value.status == 400
        await connector.aclose()
        impostor = TangerangConnector(config(network.url, client_id=CLIENT_ID, secret="wrong"))
        with pytest.raises(NetworkRejected) as caught:
            await anext(impostor.transactions(COOP))
        assert caught.value.status == 401
        assert "invalid_signature" not in caught.value.message
        assert "invalid_signature" in logged_for(caplog, caught.value)
        await impostor.aclose()
        assert network.broadcaster.subscriber_count == 0


async def test_an_unreachable_network_is_given_up_after_max_failures() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = StreamPolicy(first_delay=0.01, max_delay=0.02, max_failures=3)
    connector = TangerangConnector(config(f"http://127.0.0.1:{port}"), stream_policy=policy)
    stream = connector.transactions(COOP)
    with pytest.raises(NetworkUnavailable) as caught:
        await anext(stream)
    assert "3 times in a row" in caught.value.message
    assert stream.connections == 0
    await connector.aclose()


# The same reconnection rules, scripted with a mock transport.


def event_stream(*chunks: bytes, then_wait: bool = False) -> httpx.Response:
    class Body(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk
            if then_wait:
                await asyncio.sleep(3600)

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=Body())


def txn(seq: int, amount: str = "1000.00") -> str:
    return (
        f'{{"id": "txn_{seq:06d}", "seq": {seq}, "cooperative_id": "{COOP}", "member_id": null,'
        f' "order_id": null, "bill_id": null, "type": "iuran", "amount": "{amount}",'
        f' "currency": "IDR", "description": "Iuran", "occurred_at": "2026-01-0{seq}T08:00:00Z"}}'
    )


def scripted(*answers: httpx.Response) -> tuple[TangerangConnector, list[httpx.Request]]:
    requests: list[httpx.Request] = []
    queue = list(answers)

    async def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return queue.pop(0)

    policy = StreamPolicy(first_delay=0.01, max_delay=0.05, idle_timeout=0.2)
    connector = TangerangConnector(
        config("http://network"), transport=httpx.MockTransport(handle), stream_policy=policy
    )
    return connector, requests


async def collect(stream: TransactionStream) -> tuple[list[TransactionRecord], Exception]:
    found: list[TransactionRecord] = []
    try:
        async for record in stream:
            found.append(record)
    except Exception as error:
        return found, error
    raise AssertionError("the scripted stream ended without an error")


async def test_parsing_dedupe_and_resume_over_scripted_connections() -> None:
    first = event_stream(
        b"\xef\xbb\xbf: connected\r\n\r\n",
        b"retry: 10\n",
        f"id: 1\nevent: transaction\ndata: {txn(1)}\n\n".encode(),
        b"id: 2\nevent: transaction\n",
        # The JSON split over two data lines, and an event type nobody asked for.
        b'data: {"id": "txn_000002", "seq": 2, "cooperative_id": "coop_000001",\n',
        b'data:  "member_id": null, "order_id": null, "bill_id": null, "type": "iuran",'
        b' "amount": "2000", "currency": "IDR", "description": "Iuran",'
        b' "occurred_at": "2026-01-02T08:00:00Z"}\n\n',
        b"id: 3\nevent: ping\ndata: {}\n\n",
        # Cut off mid-event: never dispatched, so it is asked for again.
        f"id: 4\nevent: transaction\ndata: {txn(4)}\n".encode(),
    )
    second = event_stream(
        f"id: 3\nevent: transaction\ndata: {txn(3)}\n\n".encode(),  # a repeat: skipped
        f"id: 4\r\nevent: transaction\r\ndata: {txn(4)}\r\n\r\n".encode(),
        b": keep-alive\n\n",
        then_wait=True,  # silent past the idle timeout: replaced
    )
    third = httpx.Response(503, json={"error": "service_unavailable"})
    fourth = httpx.Response(404, json={"error": {"code": "cooperative_not_found"}})
    connector, requests = scripted(first, second, third, fourth)
    stream = connector.transactions(COOP)
    found, error = await collect(stream)
    await connector.aclose()

    assert [(r.id, r.amount) for r in found] == [
        ("txn_000001", 1000),
        ("txn_000002", 2000),
        ("txn_000004", 1000),
    ]
    assert isinstance(error, NetworkRejected)
    assert error.status == 404
    assert [r.headers.get("last-event-id") for r in requests] == [None, "3", "4", "4"]
    assert all(r.url.params["cooperative_id"] == COOP for r in requests)
    assert all("x-signature" in r.headers for r in requests)
    assert stream.connections == 2


@pytest.mark.parametrize(
    "answer",
    [
        event_stream(f"id: 1\nevent: transaction\ndata: {txn(1, '1000.50')}\n\n".encode()),
        event_stream(b"id: 1\nevent: transaction\ndata: {not json\n\n"),
        httpx.Response(200, json={"items": []}),
        httpx.Response(302, headers={"location": "/elsewhere"}),
    ],
)
async def test_unreadable_streams_are_protocol_errors(answer: httpx.Response) -> None:
    connector, _ = scripted(answer)
    found, error = await collect(connector.transactions(COOP))
    await connector.aclose()
    assert found == []
    assert isinstance(error, NetworkProtocolError)


def test_event_parser_follows_the_standard() -> None:
    parser = EventParser()
    lines = [
        ": comment",
        "data",  # a field without a colon: empty data
        "data:no space",
        "",
        "id: 7",
        "",  # no data: not dispatched, but the id sticks
        "event: transaction",
        "data: {}",
        "id: bad\0id",
        "",
        "retry: soon",
        "retry: 2500",
        "unknown: field",
        "data: last",
        "",
    ]
    events = [event for line in lines if (event := parser.feed(line)) is not None]
    assert events == [
        ServerSentEvent(event="message", data="\nno space", id=""),
        ServerSentEvent(event="transaction", data="{}", id="7"),
        ServerSentEvent(event="message", data="last", id="7"),
    ]
    assert parser.retry_ms == 2500
    assert parser.last_event_id == "7"
