"""The command line every reference network shares: ``python -m networks.<code>``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from starlette.applications import Starlette

from networks.common.faults import config_from_flags
from networks.common.runner import serve
from networks.common.settings import NetworkSettings

S = TypeVar("S", bound=NetworkSettings)


def parser(code: str, title: str, default_port: int) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m networks.{code}", description=title)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=default_port, help="0 picks a free port")
    p.add_argument("--data-dir", type=Path, default=Path("var/networks"))
    p.add_argument("--products", type=int, default=300, help="products to seed (scale knob)")
    p.add_argument("--seed", type=int, default=2026, help="seed for the deterministic data")
    p.add_argument("--reset", action="store_true", help="re-seed even if the database exists")
    p.add_argument("--admin-token", default="admin-dev-token")
    p.add_argument("--order-clock", type=float, help="seconds between automatic status moves")
    p.add_argument("--log-level", default="warning")
    faults = p.add_argument_group("faults (also settable at run time: PUT /admin/faults)")
    faults.add_argument("--latency-ms", type=float)
    faults.add_argument("--jitter-ms", type=float)
    faults.add_argument("--error-rate", type=float, help="share of requests answered 500")
    faults.add_argument("--down", choices=["503", "refuse"])
    faults.add_argument("--down-seconds", type=float, help="how long a refusal lasts")
    faults.add_argument("--malformed-rate", type=float, help="share of garbage bodies")
    faults.add_argument("--slow-stream-ms", type=float, help="pause before each body chunk")
    return p


def settings_from(args: argparse.Namespace, settings_type: type[S], code: str) -> S:
    """Settings from parsed flags; flags named like a settings field fill it."""
    names = {f.name for f in dataclasses.fields(settings_type)}
    values = {k: v for k, v in vars(args).items() if k in names and v is not None}
    return settings_type(code=code, faults=config_from_flags(vars(args)), **values)


def run(
    code: str,
    title: str,
    default_port: int,
    settings_type: type[S],
    create_app: Callable[[S], Starlette],
    argv: Sequence[str] | None = None,
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """Parse flags, build the app and serve it until Ctrl-C or SIGTERM."""
    p = parser(code, title, default_port)
    if extra is not None:
        extra(p)
    args = p.parse_args(argv)
    settings = settings_from(args, settings_type, code)
    app = create_app(settings)
    banner = f"{title}: {settings.products} products,"
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            serve(app, settings.host, settings.port, banner=banner, log_level=args.log_level)
        )
