"""Fault injection: what a network does wrong on purpose, set at start or at run time.

Faults apply to every route except ``/admin/`` and ``/healthz`` (so they can always be
turned off again) and cover the ways real partner systems misbehave: latency with jitter,
random 500s, being down (503, or refusing connections when run by the runner), malformed
bodies, and streams that trickle.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DownMode = Literal["", "503", "refuse"]
EXEMPT_PREFIXES = ("/admin/", "/healthz")
_GARBAGE = b'{"data": [{"id": 1, "nama": "Beras \xff\xfe\x00<html>oops'


@dataclass
class FaultConfig:
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0
    down: DownMode = ""
    # How long a "refuse" lasts before the network listens again.
    down_seconds: float = 5.0
    malformed_rate: float = 0.0
    slow_stream_ms: float = 0.0
    # Path prefixes the faults apply to (a partial outage); empty: every path.
    paths: tuple[str, ...] = ()


class FaultUpdate(BaseModel):
    """Body of ``PUT /admin/faults``: any subset of the fault settings."""

    model_config = ConfigDict(extra="forbid")

    latency_ms: float | None = Field(default=None, ge=0, le=60_000)
    jitter_ms: float | None = Field(default=None, ge=0, le=60_000)
    error_rate: float | None = Field(default=None, ge=0, le=1)
    down: DownMode | None = None
    down_seconds: float | None = Field(default=None, gt=0, le=3_600)
    malformed_rate: float | None = Field(default=None, ge=0, le=1)
    slow_stream_ms: float | None = Field(default=None, ge=0, le=60_000)
    paths: tuple[str, ...] | None = None


class FaultInjector:
    """The live fault settings of one network, and the randomness that applies them."""

    def __init__(self, config: FaultConfig | None = None, seed: int | None = None) -> None:
        self.config = config or FaultConfig()
        self._random = random.Random(seed)
        # Set when connections should be refused; the runner closes the listening socket.
        self.refuse_requested = asyncio.Event()
        self.refuse_until = 0.0
        if self.config.down == "refuse":
            self._request_refusal()

    def update(self, change: FaultUpdate) -> FaultConfig:
        for name, value in change.model_dump(exclude_none=True).items():
            setattr(self.config, name, value)
        if self.config.down == "refuse":
            self._request_refusal()
        return self.config

    def reset(self) -> FaultConfig:
        self.config = FaultConfig()
        return self.config

    def as_dict(self) -> dict[str, Any]:
        return asdict(self.config)

    def refusal_served(self) -> None:
        """Called by the runner once it listens again: the outage is over."""
        self.refuse_requested.clear()
        if self.config.down == "refuse":
            self.config.down = ""

    def _request_refusal(self) -> None:
        self.refuse_until = time.monotonic() + self.config.down_seconds
        self.refuse_requested.set()

    def delay_seconds(self) -> float:
        jitter = self._random.uniform(0, self.config.jitter_ms) if self.config.jitter_ms else 0.0
        return (self.config.latency_ms + jitter) / 1000

    def roll(self, rate: float) -> bool:
        return rate > 0 and self._random.random() < rate


class FaultMiddleware:
    """ASGI middleware applying a ``FaultInjector`` to every non-admin request."""

    def __init__(self, app: ASGIApp, faults: FaultInjector) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        config = self.faults.config
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or path.startswith(EXEMPT_PREFIXES)
            or (config.paths and not path.startswith(config.paths))
        ):
            await self.app(scope, receive, send)
            return
        if config.down:
            await _plain(send, 503, {"error": "service_unavailable"}, [(b"retry-after", b"5")])
            return
        delay = self.faults.delay_seconds()
        if delay:
            await asyncio.sleep(delay)
        if self.faults.roll(config.error_rate):
            await _plain(send, 500, {"error": "internal_error"})
            return
        if self.faults.roll(config.malformed_rate):
            send = _malformed(send)
        if config.slow_stream_ms:
            send = _trickle(send, config.slow_stream_ms / 1000)
        await self.app(scope, receive, send)


async def _plain(
    send: Send, status: int, body: dict[str, str], extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    await send(
        {"type": "http.response.start", "status": status, "headers": headers + (extra or [])}
    )
    await send({"type": "http.response.body", "body": payload})


def _malformed(send: Send) -> Send:
    """Replace the response body with truncated, non-UTF-8 garbage of a fixed length."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [
                (k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(_GARBAGE)).encode()))
            await send({**message, "headers": headers})
        elif message["type"] == "http.response.body":
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": _GARBAGE})
        else:
            await send(message)

    return wrapped


def _trickle(send: Send, pause: float, chunk: int = 256) -> Send:
    """Send the body in small chunks with a pause before each: a slow stream."""

    async def wrapped(message: Message) -> None:
        if message["type"] != "http.response.body":
            await send(message)
            return
        body: bytes = message.get("body", b"")
        more = message.get("more_body", False)
        pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
        for position, piece in enumerate(pieces):
            await asyncio.sleep(pause)
            last = position == len(pieces) - 1
            await send({"type": "http.response.body", "body": piece, "more_body": more or not last})

    return wrapped


def config_from_flags(values: dict[str, Any]) -> FaultConfig:
    """Build a FaultConfig from parsed CLI flags named like its fields."""
    names = {f.name for f in fields(FaultConfig)}
    return FaultConfig(**{k: v for k, v in values.items() if k in names and v is not None})
