"""How long each reference network takes to create and seed its database from nothing.

The figure that matters: seeding 100,000 products per network must finish in under a
minute. Each size runs several times in fresh directories; the median is printed.
"""

from __future__ import annotations

import asyncio
import importlib
import statistics
import tempfile
import time
from pathlib import Path

from networks.common.settings import NetworkSettings

NETWORKS = ("sejuk", "tangerang", "padi")


async def seed_once(code: str, products: int) -> float:
    """Seconds from app creation to a started (seeded) app, in a fresh directory."""
    module = importlib.import_module(f"networks.{code}.app")
    settings_module = importlib.import_module(f"networks.{code}.settings")
    settings_type = next(
        value
        for value in vars(settings_module).values()
        if isinstance(value, type)
        and issubclass(value, NetworkSettings)
        and value is not NetworkSettings
    )
    with tempfile.TemporaryDirectory() as directory:
        settings = settings_type(code=code, data_dir=Path(directory), products=products)
        app = module.create_app(settings)
        started = time.perf_counter()
        async with app.router.lifespan_context(app):
            elapsed = time.perf_counter() - started
    return elapsed


def run(sizes: tuple[int, ...] = (10_000, 100_000), repeats: int = 3) -> None:
    print("seeding: seconds to create and seed one network's database (median of runs)")
    print(f"{'network':<10} {'products':>9} {'median s':>9} {'products/s':>11}  runs")
    for code in NETWORKS:
        for size in sizes:
            runs = [asyncio.run(seed_once(code, size)) for _ in range(repeats)]
            median = statistics.median(runs)
            shown = " ".join(f"{r:.1f}" for r in runs)
            print(f"{code:<10} {size:>9,} {median:>9.2f} {size / median:>11,.0f}  {shown}")
