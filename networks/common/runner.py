"""Serve a network app with uvicorn on a socket we own, so "refuse connections" is real.

When the fault settings ask for refused connections the runner stops listening (clients
get ECONNREFUSED, not an HTTP error), waits out the outage, and listens again on the
same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import time

import uvicorn
from starlette.applications import Starlette

from networks.common.faults import FaultInjector


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket; port 0 takes a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it every keep-alive response waits ~40 ms for Nagle's algorithm.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    return sock


async def serve(
    app: Starlette,
    host: str,
    port: int,
    *,
    banner: str = "",
    log_level: str = "warning",
    ready: asyncio.Future[str] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve ``app`` until a signal or ``stop`` ends it, going dark while faults say refuse.

    ``ready`` receives the base URL once the app has started the first time.
    """
    faults: FaultInjector = app.state.faults
    stop = stop or asyncio.Event()
    server_count = 0
    while not stop.is_set():
        sock = bind(host, port)
        port = sock.getsockname()[1]
        url = f"http://{host}:{port}"
        config = uvicorn.Config(
            app, log_level=log_level, access_log=False, timeout_graceful_shutdown=2
        )
        server = uvicorn.Server(config)
        announce = banner if server_count == 0 else ""
        watcher = asyncio.create_task(_watch(server, faults, stop, url, announce, ready))
        server_count += 1
        try:
            await server.serve(sockets=[sock])
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        if not server.started:
            raise RuntimeError(f"{banner or 'network'} failed to start on {url}")
        if not faults.refuse_requested.is_set():
            return
        await asyncio.sleep(max(0.0, faults.refuse_until - time.monotonic()))
        faults.refusal_served()


async def _watch(
    server: uvicorn.Server,
    faults: FaultInjector,
    stop: asyncio.Event,
    url: str,
    banner: str,
    ready: asyncio.Future[str] | None,
) -> None:
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.02)
    if ready is not None and not ready.done():
        ready.set_result(url)
    if banner:
        print(f"{banner} {url}", file=sys.stderr, flush=True)
    refuse = asyncio.ensure_future(faults.refuse_requested.wait())
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({refuse, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        refuse.cancel()
        stopped.cancel()
    server.should_exit = True
