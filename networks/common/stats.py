"""Counting the requests a network serves, so tests can see how chatty a client is."""

from __future__ import annotations

from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

from networks.common.faults import EXEMPT_PREFIXES


class RequestCounter:
    """Requests served per ``METHOD path``, admin and health checks left out."""

    def __init__(self) -> None:
        self.by_route: Counter[str] = Counter()

    def snapshot(self) -> dict[str, object]:
        return {"total": sum(self.by_route.values()), "by_route": dict(self.by_route)}

    def reset(self) -> None:
        self.by_route.clear()


class CountingMiddleware:
    def __init__(self, app: ASGIApp, counter: RequestCounter) -> None:
        self.app = app
        self.counter = counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(EXEMPT_PREFIXES):
            self.counter.by_route[f"{scope['method']} {scope['path']}"] += 1
        await self.app(scope, receive, send)
