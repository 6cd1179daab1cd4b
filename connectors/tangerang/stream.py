"""Tangerang's live transaction stream as an async iterator that survives dropped connections.

One signed ``GET /v2/transactions/stream`` is held open; its server-sent events become
``TransactionRecord``s in the network's order. When the connection drops (refused, reset,
ended, or silent past ``idle_timeout``) the stream waits a bounded, growing delay and
reconnects with ``Last-Event-ID``, so the network replays what happened meanwhile: nothing
is lost and nothing is repeated. A 4xx answer is final (``NetworkRejected``); 5xx, 429 and
transport failures are retried. ``aclose()`` closes the open response.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import cast

import httpx
from pydantic import ValidationError

from connectors.errors import NetworkProtocolError, NetworkRejected, NetworkUnavailable, logged
from connectors.records import TransactionRecord
from connectors.tangerang.native import TRANSACTION, NativeTransaction, transaction_record
from connectors.tangerang.sse import EventParser

STREAM_PATH = "/v2/transactions/stream"
_EVENT = "transaction"
_MIN_DELAY = 0.05  # the least a network's ``retry:`` can ask for


@dataclass(frozen=True, slots=True)
class StreamPolicy:
    """How a stream reconnects.

    The n-th reconnection in a row waits ``first_delay * 2**(n-1)`` seconds, at most
    ``max_delay``, with up to half of it jittered away; a connection that opens resets n.
    The network's ``retry:`` field, when it sends one, replaces ``first_delay``.
    ``idle_timeout``: with nothing at all (not even a keep-alive comment) for that long, the
    connection is taken as dead and replaced (None: wait forever). ``max_failures``: after
    that many failed connections in a row the stream raises ``NetworkUnavailable``
    (None: it keeps trying, as a browser's EventSource does).
    """

    first_delay: float = 0.25
    max_delay: float = 10.0
    idle_timeout: float | None = 60.0
    max_failures: int | None = None


class _Dropped(Exception):
    """The connection failed or ended in a way worth reconnecting after.

    ``reason`` is the hub's words; ``detail`` (the URL, the transport's exception) is for
    the log, written only if the stream gives up.
    """

    def __init__(self, reason: str, delay: float | None = None, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay = delay
        self.detail = detail or reason


class TransactionStream:
    """A cooperative's transactions, live, across reconnections.

    ``last_event_id`` is the id of the last event received (empty before the first);
    ``connections`` counts the responses opened, so the first one and each reconnection.
    ``aclose()`` may come from any task, also while another one waits in ``anext``: that
    wait is cut short and ends the iteration.
    """

    def __init__(
        self,
        network: str,
        client: httpx.AsyncClient,
        cooperative_id: str,
        *,
        open_timeout: float,
        policy: StreamPolicy,
    ) -> None:
        self.network = network
        self.cooperative_id = cooperative_id
        self.last_event_id = ""
        self.connections = 0
        self._client = client
        self._open_timeout = open_timeout
        self._policy = policy
        self._first_delay = policy.first_delay
        self._events = self._run()
        self._closing = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._waiting: asyncio.Timeout | None = None

    def __aiter__(self) -> TransactionStream:
        return self

    async def __anext__(self) -> TransactionRecord:
        self._idle.clear()
        try:
            return await self._events.__anext__()
        finally:
            self._idle.set()

    async def aclose(self) -> None:
        """Stop: the open response, if any, is closed; later iteration ends at once."""
        self._closing.set()
        while not self._idle.is_set():
            self._interrupt()
            await self._idle.wait()
        await self._events.aclose()

    def _interrupt(self) -> None:
        """Cut short whatever the stream is waiting for (a connection, a line, a delay)."""
        if self._waiting is not None and not self._waiting.expired():
            self._waiting.reschedule(asyncio.get_running_loop().time())

    @contextlib.asynccontextmanager
    async def _deadline(self, seconds: float | None) -> AsyncIterator[None]:
        """``asyncio.timeout(seconds)`` that ``aclose`` can also end (TimeoutError)."""
        async with asyncio.timeout(seconds) as waiting:
            self._waiting = waiting
            if self._closing.is_set():
                self._interrupt()
            try:
                yield
            finally:
                self._waiting = None

    async def _pause(self, seconds: float) -> None:
        """Wait before reconnecting; ``aclose`` ends the wait."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closing.wait()

    async def _run(self) -> AsyncGenerator[TransactionRecord, None]:
        failures = 0
        delay: float | None = None
        while True:
            if delay is not None:
                await self._pause(delay)
            if self._closing.is_set() or self._client.is_closed:
                return  # closed, or the connector was: its streams end with it
            try:
                response = await self._open()
            except _Dropped as dropped:
                failures += 1
                limit = self._policy.max_failures
                if limit is not None and failures >= limit and not self._closing.is_set():
                    message = f"transaction stream: {dropped.reason} ({failures} times in a row)"
                    request_id = logged(self.network, message, dropped.detail)
                    raise NetworkUnavailable(self.network, message, request_id=request_id) from None
                delay = self._delay(failures, dropped.delay)
                continue
            failures = 0
            self.connections += 1
            parser = EventParser(self.last_event_id)
            lines = cast(AsyncGenerator[str, None], response.aiter_lines())
            try:
                while True:
                    try:
                        line = await self._next_line(lines)
                    except _Dropped as dropped:
                        delay = self._delay(1, dropped.delay)
                        break
                    record = self._record(parser, line)
                    if record is not None:
                        yield record
            finally:
                await lines.aclose()
                await response.aclose()

    async def _open(self) -> httpx.Response:
        """A 200 event-stream response; ``_Dropped`` for what a reconnection may cure."""
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        request = self._client.build_request(
            "GET", STREAM_PATH, params={"cooperative_id": self.cooperative_id}, headers=headers
        )
        try:
            async with self._deadline(self._open_timeout):
                response = await self._client.send(request, stream=True)
        except TimeoutError:
            raise _Dropped("no answer in time", detail=f"GET {request.url}: no answer") from None
        except httpx.TransportError as error:
            raise _Dropped("unreachable", detail=f"GET {request.url}: {error!r}") from None
        status = response.status_code
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if status == 200 and media == "text/event-stream":
            return response
        try:
            async with self._deadline(self._open_timeout):
                text = (await response.aread()).decode(errors="replace")[:300]
        except (TimeoutError, httpx.TransportError):
            text = ""
        finally:
            await response.aclose()
        said = f"GET {request.url} answered {status} as {media or 'no media type'}: {text}"
        if status == 429 or status >= 500:
            raise _Dropped(f"HTTP {status}", _retry_after(response.headers), detail=said)
        if status >= 400:
            message = f"transaction stream request rejected (HTTP {status})"
            raise NetworkRejected(
                self.network, message, status, request_id=logged(self.network, message, said)
            )
        message = f"transaction stream answered HTTP {status}, not an event stream"
        raise NetworkProtocolError(
            self.network, message, request_id=logged(self.network, message, said)
        )

    async def _next_line(self, lines: AsyncGenerator[str, None]) -> str:
        """The next line, without its line ending; ``_Dropped`` when the connection is over."""
        try:
            async with self._deadline(self._policy.idle_timeout):
                return await anext(lines)
        except StopAsyncIteration:
            raise _Dropped("the network ended the stream") from None
        except TimeoutError:
            raise _Dropped("silent past the idle timeout") from None
        except httpx.TransportError as error:
            raise _Dropped("connection lost", detail=f"{STREAM_PATH}: {error!r}") from None

    def _record(self, parser: EventParser, line: str) -> TransactionRecord | None:
        """The transaction ``line`` completes, if any; events seen before are skipped."""
        event = parser.feed(line)
        if parser.retry_ms is not None:
            self._first_delay = min(parser.retry_ms / 1000, self._policy.max_delay)
        if event is None or _not_after(event.id, self.last_event_id):
            return None
        self.last_event_id = event.id
        if event.event != _EVENT:
            return None
        return transaction_record(self.network, self._transaction(event.data))

    def _transaction(self, data: str) -> NativeTransaction:
        try:
            return TRANSACTION.validate_json(data)
        except ValidationError as error:
            # The validation errors quote the event: the log's, not the client's.
            message = "transaction stream event in an unexpected shape"
            detail = f"{STREAM_PATH}: {error.errors(include_url=False)[:3]}"
            raise NetworkProtocolError(
                self.network, message, request_id=logged(self.network, message, detail)
            ) from None

    def _delay(self, failures: int, hinted: float | None) -> float:
        if hinted is not None:
            return min(hinted, self._policy.max_delay)
        ceiling = min(self._first_delay * 2.0 ** min(failures - 1, 30), self._policy.max_delay)
        return ceiling / 2 + random.uniform(0, ceiling / 2)


def _not_after(event_id: str, last: str) -> bool:
    """Whether the network's sequence number ``event_id`` was already received.

    Every Tangerang event carries its own id, so an id that does not move on is a repeat.
    """
    if not (event_id.isascii() and event_id.isdigit() and last.isascii() and last.isdigit()):
        return False
    return int(event_id) <= int(last)


def _retry_after(headers: httpx.Headers) -> float | None:
    raw = headers.get("retry-after")
    try:
        seconds = float(raw) if raw is not None else None
    except ValueError:
        return None
    return None if seconds is None else max(0.0, seconds)
