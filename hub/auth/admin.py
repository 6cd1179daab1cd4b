"""``hub clients ...`` and ``hub keys ...``: managing OAuth clients and signing keys."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from federation.orders.database import connect
from hub.auth.clients import ClientStore
from hub.auth.keys import KeyRingError, key_files, retire, rotate
from hub.auth.scopes import SCOPES, scope_text
from hub.database import upgrade
from hub.settings import Settings


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``clients`` and ``keys`` to the ``hub`` command's subcommands."""
    clients = commands.add_parser("clients", help="OAuth clients of partner apps")
    clients.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")
    actions = clients.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="register a client; prints its secret once")
    create.add_argument("--org", required=True, help="global ID of a Cooperative/Supplier/BUMN")
    create.add_argument("--scopes", required=True, help=f"comma-separated: {','.join(SCOPES)}")
    create.add_argument("--name", default="", help="a name to recognise the client by")
    actions.add_parser("list", help="every client, without secrets")
    revoke_parser = actions.add_parser("revoke", help="revoke a client and its tokens")
    revoke_parser.add_argument("client_id")

    keys = commands.add_parser("keys", help="the hub's token signing keys")
    keys.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")
    key_actions = keys.add_subparsers(dest="action", required=True)
    key_actions.add_parser("list", help="the keys that verify tokens; the last one signs")
    key_actions.add_parser("rotate", help="add a new signing key (restart the hub to use it)")
    retire_parser = key_actions.add_parser("retire", help="stop a key verifying tokens")
    retire_parser.add_argument("kid")


def run_clients(settings: Settings, args: argparse.Namespace) -> int:
    """``hub clients create|list|revoke``; returns the exit code."""
    if settings.migrate_on_start:
        upgrade(settings.database_url)
    return asyncio.run(_clients(settings, args))


async def _clients(settings: Settings, args: argparse.Namespace) -> int:
    engine = connect(settings.database_url)
    store = ClientStore(engine)
    try:
        if args.action == "create":
            try:
                new = await store.create(args.org, args.scopes, args.name)
            except ValueError as error:
                print(f"hub clients: {error}", file=sys.stderr)
                return 2
            print(f"client_id:     {new.record.client_id}")
            print(f"client_secret: {new.secret}")
            print("Keep the secret now: the hub stores only its hash and cannot show it again.")
            return 0
        if args.action == "list":
            for record in await store.list():
                state = "active" if record.active else f"revoked {_when(record.revoked_at)}"
                print(
                    f"{record.client_id}  {state}  org={record.organization}  "
                    f"scopes={scope_text(record.scopes).replace(' ', ',')}  "
                    f"created {_when(record.created_at)}  {record.name}".rstrip()
                )
            return 0
        if await store.revoke(args.client_id):
            print(f"revoked {args.client_id}: it gets no new tokens, its tokens stop working")
            return 0
        print(f"hub clients: no active client {args.client_id!r}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()


def run_keys(settings: Settings, args: argparse.Namespace) -> int:
    """``hub keys list|rotate|retire``; returns the exit code."""
    folder = Path(settings.auth_keys_dir)
    if args.action == "rotate":
        print(f"new signing key {rotate(folder)}: restart the hub to sign with it")
        return 0
    if args.action == "retire":
        try:
            retire(folder, args.kid)
        except KeyRingError as error:
            print(f"hub keys: {error}", file=sys.stderr)
            return 1
        print(f"retired {args.kid}: restart the hub so its tokens stop verifying")
        return 0
    files = key_files(folder)
    for index, path in enumerate(files):
        role = "signs" if index == len(files) - 1 else "verifies"
        print(f"{path.name.removesuffix('.pem')}  {role}")
    return 0


def _when(stamp: float | None) -> str:
    if stamp is None:
        return "-"
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
