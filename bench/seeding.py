"""How long each reference network takes to create and seed its database from nothing.

The figure that matters: seeding 100,000 products per network must finish in under a
minute. Each size runs several times in fresh directories; the median is printed.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette

from networks.padi.app import create_app as create_padi
from networks.padi.settings import PadiSettings
from networks.sejuk.app import create_app as create_sejuk
from networks.sejuk.settings import SejukSettings
from networks.tangerang.app import create_app as create_tangerang
from networks.tangerang.settings import TangerangSettings

# Each network's app for a data directory and a product count.
NETWORKS: dict[str, Callable[[Path, int], Starlette]] = {
    "sejuk": lambda d, n: create_sejuk(SejukSettings(data_dir=d, products=n)),
    "tangerang": lambda d, n: create_tangerang(TangerangSettings(data_dir=d, products=n)),
    "padi": lambda d, n: create_padi(PadiSettings(data_dir=d, products=n)),
}


async def seed_once(code: str, products: int) -> float:
    """Seconds from a fresh directory to a started (seeded) network app."""
    with tempfile.TemporaryDirectory() as directory:
        app = NETWORKS[code](Path(directory), products)
        started = time.perf_counter()
        async with app.router.lifespan_context(app):
            elapsed = time.perf_counter() - started
    return elapsed


def run(sizes: tuple[int, ...] = (10_000, 100_000), repeats: int = 3) -> None:
    """Print the median seeding time per network and size."""
    print("seeding: seconds to create and seed one network's database (median of runs)")
    print(f"{'network':<10} {'products':>9} {'median s':>9} {'products/s':>11}  runs")
    for code in NETWORKS:
        for size in sizes:
            runs = [asyncio.run(seed_once(code, size)) for _ in range(repeats)]
            median = statistics.median(runs)
            shown = " ".join(f"{r:.1f}" for r in runs)
            print(f"{code:<10} {size:>9,} {median:>9.2f} {size / median:>11,.0f}  {shown}")
