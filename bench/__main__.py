"""``python -m bench``: every benchmark, figures printed."""

from __future__ import annotations

import argparse

from bench import seeding


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--sizes", type=lambda s: tuple(int(x) for x in s.split(",")), default=(10_000, 100_000)
    )
    args = parser.parse_args()
    seeding.run(args.sizes, args.repeats)


if __name__ == "__main__":
    main()
