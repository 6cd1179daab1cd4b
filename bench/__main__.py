"""``python -m bench [all|seeding|federation|orders|index|abuse|gateway]``: the benchmarks, figures printed."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from bench import abuse, federation, gateway, index, orders, seeding


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(","))


def _names(choices: tuple[str, ...]) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        names = tuple(x.strip() for x in text.split(",") if x.strip())
        unknown = [x for x in names if x not in choices]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown: {', '.join(unknown)}; choose from {', '.join(choices)}"
            )
        return names

    return parse


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "which",
        nargs="?",
        choices=("all", "seeding", "federation", "orders", "index", "abuse", "gateway"),
        default="all",
        help="which benchmark to run (default: all)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help="runs of each measurement, the median printed (default: seeding 3, federation 1, "
        "orders 3, abuse 3, gateway 3)",
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
    ab = parser.add_argument_group("abuse")
    ab.add_argument(
        "--abuse-copies", type=int, default=30, help="copies of an attack sent in a row per run"
    )
    ab.add_argument(
        "--abuse-budget", type=float, default=2.0, help="seconds one run of copies may take"
    )
    ab.add_argument("--abuse-attackers", type=int, default=4, help="concurrent attackers")
    ab.add_argument("--abuse-seconds", type=float, default=2.0, help="seconds the attackers attack")
    ab.add_argument(
        "--abuse-timeout", type=float, default=30.0, help="seconds before an answer is a timeout"
    )
    ab.add_argument(
        "--abuse-rate-limit", type=float, default=10_000.0, help="the hub's per-client rate limit"
    )
    ab.add_argument(
        "--abuse-only",
        type=_names(abuse.ATTACKS),
        default=abuse.ATTACKS,
        help=f"attacks to send, comma-separated (default: all: {','.join(abuse.ATTACKS)})",
    )
    ab.add_argument(
        "--abuse-transports",
        type=_names(("http", "ws")),
        default=("http", "ws"),
        help="how GraphQL documents are sent: http,ws (default both)",
    )
    ab.add_argument(
        "--overload-clients", type=int, default=200, help="concurrent clients (0: no overload)"
    )
    ab.add_argument("--overload-seconds", type=float, default=10.0, help="seconds of overload")
    ab.add_argument(
        "--abuse-products", type=int, default=2_000, help="products per network (abuse)"
    )
    gw = parser.add_argument_group("gateway")
    gw.add_argument(
        "--gateway-clients", type=_ints, default=(4, 32), help="concurrent clients (gateway)"
    )
    gw.add_argument(
        "--gateway-seconds", type=float, default=3.0, help="seconds of one timed run (gateway)"
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
    if args.which in ("all", "abuse"):
        abuse.run(
            abuse.AbuseOptions(
                copies=args.abuse_copies,
                repeats=args.repeats or 3,
                budget=args.abuse_budget,
                attackers=args.abuse_attackers,
                seconds=args.abuse_seconds,
                overload_clients=args.overload_clients,
                overload_seconds=args.overload_seconds,
                timeout=args.abuse_timeout,
                rate_limit=args.abuse_rate_limit,
                products=args.abuse_products,
                transports=args.abuse_transports,
                only=args.abuse_only,
            )
        )
    if args.which in ("all", "gateway"):
        gateway.run(
            gateway.GatewayOptions(
                clients=args.gateway_clients,
                seconds=args.gateway_seconds,
                repeats=args.repeats or 3,
                products=args.products,
            )
        )


if __name__ == "__main__":
    main()
