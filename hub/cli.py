"""The ``hub`` command: ``serve``, ``schema``, ``db``, ``sync``, ``demo``, ``clients``, ``keys``,
``orgs``, ``audit``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from hub.audit.admin import add_command as add_audit_command
from hub.auth.admin import add_commands as add_auth_commands
from hub.settings import Settings, SettingsError, load_settings
from hub.sync_command import add_command as add_sync_command
from networks.launcher import DEFAULT_PORTS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub", description="Koperasi Hub: one GraphQL graph.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the hub (settings from HUB_* and --config)")
    serve.add_argument("--host", help="address to listen on (default: settings, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: settings, 8000; 0 = free)")
    serve.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")

    commands.add_parser("schema", help="print the GraphQL schema (SDL)")

    db = commands.add_parser("db", help="the hub's database")
    db.add_argument("action", choices=["upgrade"], help="upgrade: migrate to the latest schema")
    db.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")

    add_sync_command(commands)
    add_auth_commands(commands)
    add_audit_command(commands)

    demo = commands.add_parser("demo", help="start the reference networks and the hub over them")
    demo.add_argument("--host", default="127.0.0.1", help="hub address (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="hub port (default 8000; 0 = free)")
    demo.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")
    demo.add_argument("--data-dir", type=Path, default=Path("var/networks"))
    demo.add_argument("--products", type=int, default=300, help="products per network")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument(
        "--order-clock",
        type=_seconds,
        metavar="SECONDS",
        help="move open orders one step along every SECONDS (off by default)",
    )
    for code, port in DEFAULT_PORTS.items():
        demo.add_argument(
            f"--{code}-port", type=int, default=port, help=f"default {port}; 0 or taken = free"
        )
    return parser


def _seconds(value: str) -> float:
    seconds = float(value)
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {value}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``hub`` command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from schema import build_schema

        print(build_schema().as_str())
        return 0
    try:
        settings = load_settings(config_path=args.config)
    except SettingsError as error:
        print(f"hub: bad settings: {error}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return _serve(settings, args.host, args.port)
    if args.command == "db":
        from hub.database import upgrade

        upgrade(settings.database_url)
        print(f"hub db: {settings.database_url} is up to date", flush=True)
        return 0
    if args.command in ("clients", "keys", "orgs"):
        from hub.auth.admin import run_clients, run_keys, run_orgs

        run = {"clients": run_clients, "keys": run_keys, "orgs": run_orgs}[args.command]
        return run(settings, args)
    if args.command == "sync":
        from hub.sync_command import run_sync

        return run_sync(settings, args)
    if args.command == "audit":
        from hub.audit.admin import run_audit

        return run_audit(settings, args)
    from hub.demo import DemoOptions, run_demo

    options = DemoOptions(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        products=args.products,
        seed=args.seed,
        order_clock=args.order_clock,
        network_ports={code: getattr(args, f"{code}_port") for code in DEFAULT_PORTS},
    )
    return run_demo(settings, options)


def _serve(settings: Settings, host: str | None, port: int | None) -> int:
    from hub.app import create_app, served_at
    from hub.progress import SyncBars
    from hub.server import PortTakenError, StopSignals, bind, run, serve, settle_heap

    host = host if host is not None else settings.host
    port = port if port is not None else settings.port
    try:
        sock = bind(host, port)
    except PortTakenError as error:
        print(f"hub serve: {error}", file=sys.stderr)
        return 2
    settings = served_at(settings, sock)  # the OAuth issuer is where the hub really listens
    if not settings.auth_required_enabled:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("hub.serve").warning(
            "HUB_AUTH_REQUIRED=false: /graphql answers requests without a token "
            "(the public catalogue only). Partner apps on the open internet need it on."
        )

    def ready(url: str) -> None:
        # Started: the app, its schema and its connectors exist and will live as long as
        # the process, so the collector need not walk them again (hub.server.settle_heap).
        settle_heap()
        print(f"Koperasi Hub serving {url}/graphql", flush=True)

    signals = StopSignals()
    with sock, signals.installed(), signals.quiet():
        run(
            serve(
                create_app(settings, sync_progress=SyncBars()),
                sock,
                on_ready=ready,
                header_timeout=settings.header_timeout,
                body_timeout=settings.body_timeout,
                max_message_bytes=settings.max_body_bytes,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
