"""Ask every network at once and answer when all have, or when the deadline passes.

A network that fails or is too slow does not fail the question: its outcome says
TIMEOUT or ERROR and the others' answers stand.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from connectors.base import Connector
from connectors.errors import ConnectorError, NetworkTimeout

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Deadline:
    """When one operation stops waiting for networks: every call it makes shares it, so
    nested lookups get what the search left, not a deadline of their own."""

    at: float  # time.monotonic() (the event loop's clock)

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(time.monotonic() + seconds)

    def left(self) -> float:
        """Seconds until the deadline; 0 once it has passed."""
        return max(0.0, self.at - time.monotonic())


class NetworkStatus(StrEnum):
    OK = "OK"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"
    SKIPPED = "SKIPPED"


@dataclass(frozen=True, slots=True)
class NetworkOutcome(Generic[T]):
    """How one network answered one fan-out; ``value`` only when OK."""

    code: str
    status: NetworkStatus
    latency_ms: float
    value: T | None = None
    message: str | None = None  # the hub's words, safe to show a client
    error: ConnectorError | None = None

    @property
    def request_id(self) -> str | None:
        """The id of the log line holding what the network itself said, if one was written."""
        return self.error.request_id if self.error is not None else None


@dataclass(frozen=True, slots=True)
class FanOut(Generic[T]):
    outcomes: tuple[NetworkOutcome[T], ...]

    def values(self) -> dict[str, T]:
        """The answers of the networks that answered, by network code."""
        return {o.code: o.value for o in self.outcomes if o.value is not None}

    @property
    def failures(self) -> tuple[NetworkOutcome[T], ...]:
        return tuple(
            o for o in self.outcomes if o.status in (NetworkStatus.ERROR, NetworkStatus.TIMEOUT)
        )


async def fan_out(
    connectors: Sequence[Connector],
    call: Callable[[Connector], Awaitable[T]],
    *,
    deadline: float,
    skip: Mapping[str, str] | None = None,
) -> FanOut[T]:
    """Run ``call`` on every connector in parallel, bounded by ``deadline`` seconds.

    Networks in ``skip`` (code to reason) are not asked: SKIPPED, with the reason as
    message. Outcomes keep the connectors' order. With no time left (``deadline`` 0: the
    operation's deadline has passed) nobody is asked and every network is TIMEOUT at once.
    """
    skipped = dict(skip or {})
    started = time.perf_counter()
    asked = [c for c in connectors if c.code not in skipped] if deadline > 0 else []
    tasks = {c.code: asyncio.ensure_future(_timed(c, call, started)) for c in asked}
    if tasks:
        _, pending = await asyncio.wait(tasks.values(), timeout=deadline)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    outcomes: list[NetworkOutcome[T]] = []
    for connector in connectors:
        code = connector.code
        if code in skipped:
            outcomes.append(NetworkOutcome(code, NetworkStatus.SKIPPED, 0.0, message=skipped[code]))
            continue
        asked_task = tasks.get(code)
        if asked_task is None or asked_task.cancelled():
            elapsed = (time.perf_counter() - started) * 1000
            outcomes.append(
                NetworkOutcome(
                    code,
                    NetworkStatus.TIMEOUT,
                    elapsed,
                    message=_too_late(deadline),
                    error=NetworkTimeout(code, "deadline passed"),
                )
            )
        else:
            outcomes.append(asked_task.result())
    return FanOut(tuple(outcomes))


def _too_late(waited: float) -> str:
    if waited <= 0:
        return "not asked: the operation's deadline had passed"
    return f"no answer within {waited * 1000:.0f} ms"


async def _timed(
    connector: Connector, call: Callable[[Connector], Awaitable[T]], started: float
) -> NetworkOutcome[T]:
    failure: ConnectorError
    try:
        value = await call(connector)
    except NetworkTimeout as error:
        status, message, failure = NetworkStatus.TIMEOUT, error.message, error
    except ConnectorError as error:
        status, message, failure = NetworkStatus.ERROR, error.message, error
    else:
        elapsed = (time.perf_counter() - started) * 1000
        return NetworkOutcome(connector.code, NetworkStatus.OK, elapsed, value=value)
    elapsed = (time.perf_counter() - started) * 1000
    return NetworkOutcome(connector.code, status, elapsed, message=message, error=failure)
