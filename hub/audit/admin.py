"""``hub audit``: reading the audit log of mutations, newest first."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from federation.orders.database import connect
from hub.audit.log import AuditEntry, AuditLog
from hub.database import upgrade
from hub.settings import Settings


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit`` to the ``hub`` command's subcommands."""
    audit = commands.add_parser("audit", help="the audit log of mutations, newest first")
    audit.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")
    audit.add_argument("--client", help="only this OAuth client's mutations")
    audit.add_argument("--org", help="only this organisation's mutations (its global ID)")
    audit.add_argument("--limit", type=int, default=50, help="entries to show (default 50)")


def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    """Print the entries asked for, one per line; returns the exit code."""
    if settings.migrate_on_start:
        upgrade(settings.database_url)
    entries = asyncio.run(_read(settings.database_url, args))
    for entry in entries:
        print(line(entry))
    return 0


async def _read(database_url: str, args: argparse.Namespace) -> list[AuditEntry]:
    engine = connect(database_url)
    try:
        return await AuditLog(engine).latest(
            max(args.limit, 0), client_id=args.client, organization=args.org
        )
    finally:
        await engine.dispose()


def line(entry: AuditEntry) -> str:
    """One entry as a line: when, who, what, how it ended, with which variables."""
    when = (
        "-"
        if entry.at is None
        else datetime.fromtimestamp(entry.at, UTC).isoformat(timespec="seconds")
    )
    outcome = entry.outcome if entry.message is None else f"{entry.outcome} ({entry.message})"
    variables = json.dumps(entry.variables, ensure_ascii=False, sort_keys=True)
    return (
        f"{when}  client={entry.client_id or '-'}  org={entry.organization or '-'}  "
        f"{entry.operation}  {outcome}  {variables}"
    )
