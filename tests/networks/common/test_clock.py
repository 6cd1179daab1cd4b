from __future__ import annotations

import asyncio

from networks.common.clock import periodic


async def test_ticks_while_open_and_survives_a_failing_tick() -> None:
    calls: list[int] = []

    async def tick() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first tick fails")

    async with periodic(0.01, tick):
        while len(calls) < 3:
            await asyncio.sleep(0.01)
    seen = len(calls)
    await asyncio.sleep(0.05)
    assert seen >= 3
    assert len(calls) == seen


async def test_no_interval_means_no_ticks() -> None:
    calls: list[int] = []

    async def tick() -> None:
        calls.append(1)

    async with periodic(None, tick):
        await asyncio.sleep(0.02)
    assert calls == []
