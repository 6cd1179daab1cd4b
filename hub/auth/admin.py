"""``hub clients ...`` and ``hub keys ...``: managing OAuth clients and signing keys."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from connectors.registry import build_connector
from federation.hub import Federation, FederationLimits
from federation.orders.database import connect
from hub.auth.clients import ClientStore
from hub.auth.keys import KeyRingError, key_files, retire, rotate
from hub.auth.organizations import (
    KINDS,
    Organization,
    OrganizationError,
    OrganizationKind,
    find_organization,
    list_organizations,
    parse_organization,
)
from hub.auth.scopes import SCOPES, ScopeError, parse_scopes, scope_text
from hub.database import upgrade
from hub.settings import Settings

# Exit codes of a refused command, by the error's code.
_EXIT = {"BAD_USER_INPUT": 2, "NOT_FOUND": 2, "NETWORK_UNAVAILABLE": 1}


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``clients``, ``keys`` and ``orgs`` to the ``hub`` command's subcommands."""
    clients = commands.add_parser("clients", help="OAuth clients of partner apps")
    clients.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")
    actions = clients.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="register a client; prints its secret once")
    create.add_argument(
        "--org",
        required=True,
        help=f"the organisation it acts for ({KINDS}): its global ID, or Bumn:BUMN-PANGAN, "
        "Cooperative:sejuk:1, Supplier:<NIB>; see `hub orgs list`",
    )
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

    orgs = commands.add_parser("orgs", help="organisations a client may act for, by network")
    orgs.add_argument("--config", type=Path, help="TOML settings file (or HUB_CONFIG)")
    org_actions = orgs.add_subparsers(dest="action", required=True)
    listing = org_actions.add_parser("list", help="organisations with their global IDs")
    listing.add_argument(
        "--kind",
        type=str.lower,
        choices=[kind.name.lower() for kind in OrganizationKind],
        default=OrganizationKind.BUMN.name.lower(),
        help="which kind (default bumn)",
    )
    listing.add_argument("--text", help="words in the name")
    listing.add_argument("--limit", type=int, default=50, help="at most this many per network")


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
                found = await _existing(settings, args.org, args.scopes)
                new = await store.create(found.ref.global_id, args.scopes, args.name)
            except OrganizationError as error:
                print(f"hub clients: {error.code}: {error}", file=sys.stderr)
                return _EXIT[error.code]
            except ValueError as error:
                print(f"hub clients: BAD_USER_INPUT: {error}", file=sys.stderr)
                return 2
            print(f"organisation:  {found.name} ({found.ref.readable}, on {found.network})")
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


async def _existing(settings: Settings, org: str, scopes: str) -> Organization:
    """The organisation ``org`` names, once a network has shown it exists; the scopes
    are checked first, so a typo costs no network call."""
    ref = parse_organization(org)
    if not parse_scopes(scopes):
        raise ScopeError("a client needs at least one scope")
    async with _federation(settings) as federation:
        return await find_organization(federation, ref)


@asynccontextmanager
async def _federation(settings: Settings) -> AsyncIterator[Federation]:
    """The configured networks, for the length of one command."""
    limits = FederationLimits(deadline=settings.deadline, max_page_size=settings.max_page_size)
    federation = Federation([build_connector(c) for c in settings.connector_configs()], limits)
    try:
        yield federation
    finally:
        await federation.aclose()


def run_orgs(settings: Settings, args: argparse.Namespace) -> int:
    """``hub orgs list``; returns the exit code."""
    return asyncio.run(_orgs(settings, OrganizationKind[args.kind.upper()], args.text, args.limit))


async def _orgs(settings: Settings, kind: OrganizationKind, text: str | None, limit: int) -> int:
    try:
        async with _federation(settings) as federation:
            found = await list_organizations(federation, kind, text=text, limit=max(1, limit))
    except OrganizationError as error:
        print(f"hub orgs: {error.code}: {error}", file=sys.stderr)
        return _EXIT[error.code]
    for org in found:
        print(f"{org.ref.global_id}  {org.ref.readable}  {org.network}  {org.name}")
    if not found:
        print(f"hub orgs: no {kind.value} found", file=sys.stderr)
    return 0


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
