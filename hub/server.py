"""Serve the hub with uvicorn on a socket bound up front, stopping cleanly on a signal.

Binding first lets ``hub serve`` and ``hub demo`` say plainly that a port is taken
before anything else starts, and lets ``--port 0`` report the port it got.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import socket
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from types import FrameType
from typing import Any, TypeVar

import uvicorn
import uvloop
from starlette.types import ASGIApp

from hub.timeouts import timeout_protocol

T = TypeVar("T")
# The first generation's threshold once start-up is over (CPython's default is 700).
GC_GEN0_THRESHOLD = 20_000


class PortTakenError(OSError):
    """The hub's port is in use by another process."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0: a free port); ``PortTakenError`` if in use."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it every keep-alive response waits ~40 ms for Nagle's algorithm.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise PortTakenError(
            f"cannot listen on {host}:{port}: {error.strerror or error}. "
            "Stop what is using it, or pass --port with another port (--port 0 picks a free one)."
        ) from None
    sock.listen(2048)
    return sock


def socket_url(sock: socket.socket) -> str:
    """The http:// base URL of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on a uvloop event loop (as ``asyncio.run`` would).

    uvloop's loop and transports are C: measured under ``python -m bench gateway`` it cut
    the hub's CPU per request by ~5-10 % (docs/decisions/0008-cpu-per-request.md).
    """
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


def settle_heap() -> None:
    """Freeze what start-up allocated out of the collector's sight; collect less often.

    A request allocates tens of thousands of short-lived objects (GraphQL results, network
    answers), so the default first-generation threshold (700) runs the collector many
    times per request, and every third-generation pass walked the whole start-up heap
    (the schema, the ORM's metadata, the imported modules) again. ``gc.freeze()`` moves
    everything alive now to a permanent generation the collector skips; a higher
    threshold runs it about 30x less often. Reference cycles are still collected, only
    later; memory between collections grows by a few MB at most. Call once, after the
    app has started and before it serves.
    """
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


class StopSignals:
    """SIGINT/SIGTERM as a stop request: raise ``KeyboardInterrupt`` or just remember it.

    While uvicorn serves it handles the signals itself and re-raises them when it has
    shut down; ``quiet()`` makes that re-raise only set ``received`` so the process can
    finish its own clean-up and exit 0.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._raise = True

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.received = signum
        if self._raise:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def installed(self) -> Iterator[StopSignals]:
        """Handle the signals for the duration of the block, then restore the previous ones."""
        previous = {
            sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Within the block a signal is only recorded, not raised."""
        self._raise = False
        try:
            yield
        finally:
            self._raise = True


async def serve(
    app: ASGIApp,
    sock: socket.socket,
    *,
    on_ready: Callable[[str], None] | None = None,
    watch: Callable[[], Awaitable[str | None]] | None = None,
    header_timeout: float = 5.0,
    body_timeout: float = 5.0,
    max_message_bytes: int = 1_048_576,
) -> str | None:
    """Serve ``app`` on ``sock`` until a signal, or until ``watch`` returns.

    ``on_ready`` gets the base URL once the app has started. ``watch`` may end the
    server early: its result (a reason) is returned; None when a signal stopped it.
    A client that takes longer than ``header_timeout`` seconds to send a request's
    headers, or ``body_timeout`` seconds after them to send its body, is disconnected
    (see ``hub.timeouts``); a WebSocket message over ``max_message_bytes`` closes its
    connection (1009), as an HTTP body over the limit is refused.
    """
    config = uvicorn.Config(
        app,
        # The hub faces the internet: uvicorn alone lets a slow client hold a connection.
        http=timeout_protocol(header_timeout, body_timeout),
        loop="uvloop",  # only read by uvicorn.run; ``run`` above starts the loop itself
        ws_max_size=max_message_bytes,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    reason: str | None = None

    async def announce() -> None:
        while not server.started:  # uvicorn exposes a flag, not an event
            if server.should_exit:
                return
            await asyncio.sleep(0.02)
        if on_ready is not None:
            on_ready(socket_url(sock))

    async def guard() -> None:
        nonlocal reason
        if watch is not None:
            reason = await watch()
            server.should_exit = True

    helpers = [asyncio.create_task(announce()), asyncio.create_task(guard())]
    try:
        await server.serve(sockets=[sock])
    finally:
        for task in helpers:
            task.cancel()
        await asyncio.gather(*helpers, return_exceptions=True)
    if not server.started:
        raise RuntimeError("the hub failed to start (see the log above)")
    return reason
