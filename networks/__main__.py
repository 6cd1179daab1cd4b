"""``python -m networks all``: the three reference networks, seeded, until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from networks.launcher import DEFAULT_PORTS, Launcher, LaunchOptions

CREDENTIALS = {
    "sejuk": "X-API-Key: sejuk-dev-key            (REST, OpenAPI at /openapi.json)",
    "tangerang": "HMAC client koperasi-hub / tangerang-dev-secret (REST, /openapi.json)",
    "padi": "OAuth2 client koperasi-hub / padi-dev-secret (GraphQL, SDL at /schema.graphql)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m networks", description=__doc__)
    parser.add_argument("command", choices=["all"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", type=Path, default=Path("var/networks"))
    parser.add_argument("--products", type=int, default=300, help="products per network")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="re-seed every database")
    parser.add_argument("--order-clock", type=float, help="seconds between status moves")
    for code, port in DEFAULT_PORTS.items():
        parser.add_argument(f"--{code}-port", type=int, default=port)
    args = parser.parse_args(argv)

    options = LaunchOptions(
        host=args.host,
        data_dir=args.data_dir,
        products=args.products,
        seed=args.seed,
        reset=args.reset,
        order_clock=args.order_clock,
        ports={code: getattr(args, f"{code}_port") for code in DEFAULT_PORTS},
    )
    launcher = Launcher(options)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        networks = launcher.start()
        print("\nReference networks are up (admin token: admin-dev-token):", flush=True)
        for net in networks:
            print(f"  {net.code:<10} {net.url:<24} {CREDENTIALS[net.code]}", flush=True)
        print("\nCtrl-C stops them.", flush=True)
        exited = launcher.wait()
        print(f"{exited.code} exited with code {exited.process.returncode}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        launcher.stop()


if __name__ == "__main__":
    sys.exit(main())
