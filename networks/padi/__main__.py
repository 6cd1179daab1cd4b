"""``python -m networks.padi``: run PaDi UMKM alone (default port 8103)."""

from __future__ import annotations

import argparse

from networks.common.cli import run
from networks.padi.app import create_app
from networks.padi.settings import PadiSettings


def _flags(parser: argparse.ArgumentParser) -> None:
    padi = parser.add_argument_group("PaDi")
    padi.add_argument("--token-ttl-seconds", type=int, help="access token lifetime (300)")
    padi.add_argument("--rate-limit-per-second", type=float, help="per client (20)")
    padi.add_argument("--rate-limit-burst", type=int, help="per client (40)")


if __name__ == "__main__":
    run("padi", "PaDi UMKM", 8103, PadiSettings, create_app, extra=_flags)
