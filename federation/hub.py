"""``Federation``: the networks the hub speaks to and how long it waits for them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from connectors.base import Connector
from federation.fanout import FanOut, fan_out

T = TypeVar("T")


@dataclass(frozen=True)
class FederationLimits:
    deadline: float = 2.0  # seconds: the whole fan-out, not each network
    max_page_size: int = 100


class Federation:
    """All connected networks, in a fixed order that decides ties and entity ownership."""

    def __init__(self, connectors: Sequence[Connector], limits: FederationLimits | None = None):
        self.connectors = tuple(connectors)
        self.limits = limits or FederationLimits()
        self.by_code = {c.code: c for c in self.connectors}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.connectors)

    async def fan_out(
        self, call: Callable[[Connector], Awaitable[T]], *, skip: Mapping[str, str] | None = None
    ) -> FanOut[T]:
        """``call`` on every network at once, within the deadline."""
        return await fan_out(self.connectors, call, deadline=self.limits.deadline, skip=skip)

    async def health(self) -> FanOut[None]:
        """Each network's reachability, within the deadline."""
        return await self.fan_out(lambda c: c.health())

    async def aclose(self) -> None:
        await asyncio.gather(*(c.aclose() for c in self.connectors), return_exceptions=True)
