"""``hub serve``'s run-time settings: the uvloop event loop and the settled heap."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
import uvloop

from hub.server import GC_GEN0_THRESHOLD, run, settle_heap


def test_run_serves_on_uvloop() -> None:
    async def loop_type() -> type:
        return type(asyncio.get_running_loop())

    assert run(loop_type()) is uvloop.Loop


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_gc")
def test_settle_heap_freezes_start_up_and_collects_less_often() -> None:
    settle_heap()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == GC_GEN0_THRESHOLD
    # Cycles are still collected, only later.
    assert gc.isenabled()
