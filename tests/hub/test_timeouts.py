"""Slow clients against ``hub.server.serve``: header and body read timeouts (slowloris).

A tiny starlette app is served on a free port with 0.5 s timeouts and driven over raw
sockets. Nothing asserts a wall-clock time: a slow client must merely be disconnected
well before it could finish (within a generous bound), and legit traffic must still work.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import pytest
import websockets
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from hub.server import bind, serve

TIMEOUT = 0.5  # both the header and the body timeout
SLOW = 3 * TIMEOUT  # longer than either: what a legit slow response or idle pause takes
TRICKLE = 0.2  # seconds between the slow client's bytes
BOUND = 30.0  # how long a slow client may be held at most before the test fails


async def hello(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("hello")


async def slow(_request: Request) -> PlainTextResponse:
    await asyncio.sleep(SLOW)
    return PlainTextResponse("slow but fine")


async def slower(_request: Request) -> PlainTextResponse:
    await asyncio.sleep(3 * SLOW)
    return PlainTextResponse("slow but fine")


async def echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"{len(await request.body())} bytes")


async def ws_echo(websocket: WebSocket) -> None:
    await websocket.accept()
    async for text in websocket.iter_text():
        await websocket.send_text(text)


APP = Starlette(
    routes=[
        Route("/hello", hello),
        Route("/slow", slow),
        Route("/slower", slower),
        Route("/echo", echo, methods=["POST"]),
        WebSocketRoute("/ws", ws_echo),
    ]
)


@asynccontextmanager
async def served() -> AsyncIterator[tuple[str, int]]:
    """The app on a free port with short timeouts; yields (host, port)."""
    stop = asyncio.Event()
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def until_stopped() -> str | None:
        await stop.wait()
        return "test over"

    sock = bind("127.0.0.1", 0)
    host, port = sock.getsockname()[:2]
    task = asyncio.create_task(
        serve(
            APP,
            sock,
            on_ready=ready.set_result,
            watch=until_stopped,
            header_timeout=TIMEOUT,
            body_timeout=TIMEOUT,
        )
    )
    try:
        await asyncio.wait_for(ready, BOUND)
        yield host, port
    finally:
        stop.set()
        await task
        sock.close()


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, int]]:
    async with served() as address:
        yield address


@asynccontextmanager
async def connection(
    address: tuple[str, int],
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    reader, writer = await asyncio.open_connection(*address)
    try:
        yield reader, writer
    finally:
        writer.close()
        with suppress(ConnectionError):
            await writer.wait_closed()


async def trickle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes
) -> tuple[bool, bytes]:
    """Send ``data`` a byte every TRICKLE s; (whether the server closed within BOUND, bytes read).

    Stops sending, but keeps waiting, once ``data`` is all sent.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BOUND
    received = b""
    sent = 0
    while loop.time() < deadline:
        try:
            if sent < len(data):
                writer.write(data[sent : sent + 1])
                sent += 1
                await writer.drain()
            chunk = await asyncio.wait_for(reader.read(4096), TRICKLE)
        except TimeoutError:
            continue
        except ConnectionError:
            return True, received
        if not chunk:
            return True, received
        received += chunk
    return False, received


async def response(reader: asyncio.StreamReader) -> bytes:
    """One response with a Content-Length body, read within BOUND."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), BOUND)
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    body = await asyncio.wait_for(reader.readexactly(length), BOUND)
    return head + body


async def test_slow_headers_are_disconnected(
    server: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="hub.timeouts")
    # Headers that could not finish before BOUND at one byte per TRICKLE.
    data = b"GET /hello HTTP/1.1\r\nHost: hub\r\nX-Slow: " + b"x" * 1000
    async with connection(server) as (reader, writer):
        closed, received = await trickle(reader, writer, data)
    assert closed, "the server kept a slow-header connection open"
    assert received == b""
    assert any("request headers" in record.getMessage() for record in caplog.records)


async def test_slow_body_is_disconnected(server: tuple[str, int]) -> None:
    async with connection(server) as (reader, writer):
        writer.write(b"POST /echo HTTP/1.1\r\nHost: hub\r\nContent-Length: 100\r\n\r\n")
        await writer.drain()
        closed, received = await trickle(reader, writer, b"b" * 100)
    assert closed, "the server kept a slow-body connection open"
    # Disconnected, or told 408 first; never answered as if the body had arrived.
    assert received == b"" or received.startswith(b"HTTP/1.1 408"), received


async def test_slow_headers_after_a_response_are_disconnected(server: tuple[str, int]) -> None:
    async with connection(server) as (reader, writer):
        writer.write(b"GET /hello HTTP/1.1\r\nHost: hub\r\n\r\n")
        assert (await response(reader)).endswith(b"hello")
        closed, received = await trickle(
            reader, writer, b"GET /hello HTTP/1.1\r\nHost: hub\r\nX-Slow: " + b"x" * 1000
        )
    assert closed, "the server kept a slow keep-alive connection open"
    assert received == b""


async def test_keep_alive_and_slow_responses_still_work(server: tuple[str, int]) -> None:
    async with connection(server) as (reader, writer):
        writer.write(b"GET /hello HTTP/1.1\r\nHost: hub\r\n\r\n")
        assert (await response(reader)).endswith(b"hello")
        writer.write(b"POST /echo HTTP/1.1\r\nHost: hub\r\nContent-Length: 5\r\n\r\nabcde")
        assert (await response(reader)).endswith(b"5 bytes")
        # A response slower than both timeouts is not the client's fault.
        writer.write(b"GET /slow HTTP/1.1\r\nHost: hub\r\n\r\n")
        assert (await response(reader)).endswith(b"slow but fine")
        # Idle between requests for longer than the header timeout (but less than
        # uvicorn's keep-alive timeout, 5 s): the connection is still usable.
        await asyncio.sleep(SLOW)
        writer.write(b"GET /hello HTTP/1.1\r\nHost: hub\r\n\r\n")
        assert (await response(reader)).endswith(b"hello")


async def test_pipelined_body_waits_behind_a_slow_response(server: tuple[str, int]) -> None:
    async with connection(server) as (reader, writer):
        # The server does not read the second request's body while it answers the first,
        # however long that takes: the client is not to blame for the wait.
        writer.write(
            b"GET /slower HTTP/1.1\r\nHost: hub\r\n\r\n"
            b"POST /echo HTTP/1.1\r\nHost: hub\r\nContent-Length: 3\r\n\r\n"
        )
        await writer.drain()
        await asyncio.sleep(2 * TIMEOUT)
        writer.write(b"xyz")
        assert (await response(reader)).endswith(b"slow but fine")
        assert (await response(reader)).endswith(b"3 bytes")


async def test_websocket_outlives_the_timeouts(server: tuple[str, int]) -> None:
    host, port = server
    async with websockets.connect(f"ws://{host}:{port}/ws") as ws:
        await asyncio.sleep(SLOW)
        await ws.send("still here")
        assert await asyncio.wait_for(ws.recv(), BOUND) == "still here"
