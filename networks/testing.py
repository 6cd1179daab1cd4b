"""Run a reference network inside a test: in-process ASGI, or real HTTP on a free port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette

from networks.common.runner import serve


@asynccontextmanager
async def in_process(
    app: Starlette, *, raise_app_exceptions: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (seeded) and a client that talks to it without sockets.

    Starlette answers an unexpected exception with a 500 and then re-raises it; pass
    ``raise_app_exceptions=False`` to see the 500 a real client would see.
    """
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://network") as client,
    ):
        yield client


@asynccontextmanager
async def on_free_port(app: Starlette, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """The app served by uvicorn on a free port; yields its base URL."""
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, host, 0, ready=ready, stop=stop))
    either: list[asyncio.Future[Any]] = [ready, task]
    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # raises what stopped it before it was ready
    try:
        yield ready.result()
    finally:
        stop.set()
        await task
