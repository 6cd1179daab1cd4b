"""``Federation``: the networks the hub speaks to and how long it waits for them.

A GraphQL operation works through ``for_operation()``: the same networks, with one
``Deadline`` every call of the operation shares (the search fan-out, its loaders and
nested lookups), so its answer comes within the deadline however many levels it has.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from connectors.base import Connector
from federation.fanout import Deadline, FanOut, fan_out

T = TypeVar("T")


@dataclass(frozen=True)
class FederationLimits:
    deadline: float = 2.0  # seconds: a whole operation, not each network or each call
    max_page_size: int = 100


class Federation:
    """All connected networks, in a fixed order that decides ties and entity ownership."""

    def __init__(
        self,
        connectors: Sequence[Connector],
        limits: FederationLimits | None = None,
        *,
        deadline: Deadline | None = None,
    ):
        self.connectors = tuple(connectors)
        self.limits = limits or FederationLimits()
        self.by_code = {c.code: c for c in self.connectors}
        # None: each call waits a whole ``limits.deadline`` (syncs, closers, background work).
        self.deadline = deadline

    def for_operation(self, deadline: Deadline | None = None) -> Federation:
        """These networks for one operation: every call waits only for what is left of
        ``deadline`` (default: ``limits.deadline`` from now). The connectors are shared."""
        shared = deadline or Deadline.after(self.limits.deadline)
        return Federation(self.connectors, self.limits, deadline=shared)

    def time_left(self) -> float:
        """Seconds a network call may take now: what is left of the operation's deadline
        (0 once it has passed), or a whole deadline outside an operation."""
        if self.deadline is None:
            return self.limits.deadline
        return min(self.limits.deadline, self.deadline.left())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.connectors)

    async def fan_out(
        self, call: Callable[[Connector], Awaitable[T]], *, skip: Mapping[str, str] | None = None
    ) -> FanOut[T]:
        """``call`` on every network at once, within the time left (``time_left``)."""
        return await fan_out(self.connectors, call, deadline=self.time_left(), skip=skip)

    async def health(self) -> FanOut[None]:
        """Each network's reachability, within the deadline."""
        return await self.fan_out(lambda c: c.health())

    async def aclose(self) -> None:
        await asyncio.gather(*(c.aclose() for c in self.connectors), return_exceptions=True)
