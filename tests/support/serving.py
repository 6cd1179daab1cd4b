"""An ASGI app served by uvicorn (``hub.server.serve``) on a free port, for a test's span."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import ASGIApp

from hub.server import bind, serve


@asynccontextmanager
async def served(app: ASGIApp, **options: Any) -> AsyncIterator[str]:
    """``app`` on a free port until the block ends: its base URL (``http://127.0.0.1:N``).

    ``options`` go to ``serve`` (read timeouts, the WebSocket message bound).
    """
    stop = asyncio.Event()
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def until_stopped() -> str | None:
        await stop.wait()
        return "test over"

    task = asyncio.create_task(
        serve(app, bind("127.0.0.1", 0), on_ready=ready.set_result, watch=until_stopped, **options)
    )
    try:
        yield await asyncio.wait_for(ready, 60)
    finally:
        stop.set()
        await task
