"""``python -m bench [all|seeding|federation|orders|index]``: the benchmarks, figures printed."""

from __future__ import annotations

import argparse
import os

from bench import federation, index, orders, seeding


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(","))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "which",
        nargs="?",
        choices=("all", "seeding", "federation", "orders", "index"),
        default="all",
        help="which benchmark to run (default: all)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help="runs of each measurement, the median printed (default: seeding 3, federation 1, "
        "orders 3)",
    )
    seed = parser.add_argument_group("seeding")
    seed.add_argument("--sizes", type=_ints, default=(10_000, 100_000), help="products per run")
    fed = parser.add_argument_group("federation")
    fed.add_argument("--latencies", type=_ints, default=(20, 40, 60), help="injected ms")
    fed.add_argument("--clients", type=_ints, default=(32, 128), help="concurrent clients")
    fed.add_argument("--requests", type=int, default=600, help="requests per timed run")
    fed.add_argument("--products", type=int, default=2_000, help="products per network")
    order = parser.add_argument_group("orders")
    order.add_argument(
        "--order-clients", type=_ints, default=(1, 8, 32), help="concurrent placeOrder clients"
    )
    order.add_argument("--order-latency", type=int, default=20, help="injected ms")
    order.add_argument(
        "--postgres-url",
        default=os.environ.get("HUB_TEST_POSTGRES_URL", orders.DEFAULT_POSTGRES),
        help="PostgreSQL server (its maintenance database) to create a temporary database on "
        "(default: HUB_TEST_POSTGRES_URL, else %(default)s)",
    )
    args = parser.parse_args()
    if args.which in ("all", "seeding"):
        seeding.run(args.sizes, args.repeats or 3)
    if args.which in ("all", "federation"):
        federation.run(
            federation.FederationOptions(
                latencies_ms=args.latencies,
                clients=args.clients,
                requests=args.requests,
                repeats=args.repeats or 1,
                products=args.products,
            )
        )
    if args.which in ("all", "orders"):
        orders.run(
            orders.OrdersOptions(
                clients=args.order_clients,
                latency_ms=args.order_latency,
                repeats=args.repeats or 3,
                postgres_url=args.postgres_url,
            )
        )
    if args.which in ("all", "index"):  # a million products: minutes to seed and load
        index.run(index.options_from_environment(args.repeats))


if __name__ == "__main__":
    main()
