"""``python -m networks.tangerang``: serve the Tangerang network alone."""

from __future__ import annotations

import argparse

from networks.common.cli import run
from networks.tangerang.app import create_app
from networks.tangerang.settings import TangerangSettings


def _extra(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--transaction-clock",
        type=float,
        help="seconds between simulated member purchases at cooperative shops",
    )
    parser.add_argument("--replay-window-seconds", type=int, help="accepted clock skew")


def main() -> None:
    """Parse flags and serve until interrupted."""
    run(
        "tangerang",
        "Tangerang cooperative network",
        8102,
        TangerangSettings,
        create_app,
        extra=_extra,
    )


if __name__ == "__main__":
    main()
