"""Settings every reference network understands; each network subclasses for its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from networks.common.clock import seed_date
from networks.common.faults import FaultConfig


@dataclass
class NetworkSettings:
    """How one reference network runs: where, with how much data, and which faults."""

    code: str = "network"
    host: str = "127.0.0.1"
    port: int = 0
    data_dir: Path = Path("var/networks")
    products: int = 300
    seed: int = 2026
    reset: bool = False
    # Seeded history (spend, timestamps, bills) runs up to this date's month.
    seeded_on: dt.date = field(default_factory=seed_date)
    admin_token: str = "admin-dev-token"
    # Seconds between automatic order status moves; None leaves it to the admin call.
    order_clock: float | None = None
    max_page_size: int = 100
    faults: FaultConfig = field(default_factory=FaultConfig)

    @property
    def database(self) -> Path:
        return self.data_dir / f"{self.code}-{self.seed}-{self.products}.sqlite3"

    @property
    def suppliers(self) -> int:
        """UMKM registered in the network: about ten products each."""
        return max(12, self.products // 10)

    @property
    def cooperatives(self) -> int:
        return max(12, min(2_000, self.products // 50))
