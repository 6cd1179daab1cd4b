"""``hub sync``: bring the catalog index up to date now, with progress bars."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from connectors.base import Connector
from connectors.registry import build_connector
from federation.index.catalog import CatalogIndex
from federation.orders.database import connect
from hub.database import upgrade
from hub.progress import SyncBars, summary
from hub.settings import Settings


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sync`` to the ``hub`` command's subcommands."""
    sync = commands.add_parser("sync", help="sync the catalog index from the networks now")
    sync.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")
    sync.add_argument(
        "--network",
        action="append",
        dest="networks",
        metavar="CODE",
        help="only this network (repeatable; default: every network)",
    )
    sync.add_argument("--full", action="store_true", help="reload everything, not just changes")


def run_sync(settings: Settings, args: argparse.Namespace) -> int:
    """Sync, print one line per network; exit code 1 when any network failed."""
    known = [net.code for net in settings.networks]
    unknown = [code for code in args.networks or () if code not in known]
    if unknown:
        print(
            f"hub sync: unknown network {', '.join(unknown)} (configured: {', '.join(known)})",
            file=sys.stderr,
        )
        return 2
    if settings.migrate_on_start:
        upgrade(settings.database_url)
    return asyncio.run(_sync(settings, args.networks, args.full))


async def _sync(settings: Settings, networks: list[str] | None, full: bool) -> int:
    connectors: list[Connector] = [build_connector(c) for c in settings.connector_configs()]
    engine = connect(settings.database_url)
    bars = SyncBars()
    try:
        # A new process has read no directory yet: every `hub sync` re-reads suppliers
        # and cooperatives too.
        index = CatalogIndex(
            engine,
            connectors,
            stale_after=settings.stale_after,
            directory_every=settings.index_directory_interval,
        )
        results = await index.sync_now(networks, full=full, progress=bars)
    finally:
        bars.close()
        for connector in connectors:
            await connector.aclose()
        await engine.dispose()
    for result in results:
        print(summary(result))
    return 0 if all(r.ok for r in results) else 1
