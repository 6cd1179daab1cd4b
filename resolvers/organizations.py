"""Organisations in the graph: BUMN buyers (PaDi lists them) and the caller's own.

BUMN come from the PaDi network's BUMN listing, read at most once a minute
(``DIRECTORY_MAX_AGE``): a page of ``node`` lookups or viewers asks PaDi once, and a BUMN
joining PaDi shows up within the minute. A hub without a PaDi network knows no BUMN.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from dataclasses import dataclass

from connectors.errors import NetworkTimeout
from connectors.padi.procurement import PadiBumn, PadiProcurement, procurement_of
from connectors.records import CooperativeRecord, SupplierRecord
from federation.errors import InputError
from resolvers import access, validation
from resolvers.context import Context
from resolvers.ids import from_global_id, to_global_id

DIRECTORY_MAX_AGE = 60.0


@dataclass(frozen=True)
class BumnBuyer:
    """A BUMN as the graph shows it: PaDi's record, and the network listing it."""

    record: PadiBumn
    network: str

    @property
    def global_id(self) -> str:
        """Its organisation ID, the one its tokens carry (``BUMN:<PaDi id>``)."""
        return to_global_id("Bumn", self.record.id)


@dataclass(frozen=True)
class BumnPage:
    """One page of BUMN, each with its edge cursor."""

    items: tuple[tuple[BumnBuyer, str], ...]
    has_next: bool
    started_after: bool


@dataclass(frozen=True)
class ViewerRecord:
    """Who is asking: the token's client, scopes and organisation ID (None: bound to none)."""

    client_id: str
    scopes: tuple[str, ...]
    organization_id: str | None


Organisation = CooperativeRecord | SupplierRecord | BumnBuyer


def _padi(context: Context) -> PadiProcurement | None:
    connectors = context.federation.connectors
    return next((p for c in connectors if (p := procurement_of(c)) is not None), None)


async def directory(context: Context) -> list[BumnBuyer]:
    """Every BUMN buying on PaDi, by code; empty in a hub without PaDi. PaDi's failure
    raises (NETWORK_UNAVAILABLE, or its timeout within the operation's deadline)."""
    padi = _padi(context)
    if padi is None:
        return []
    left = context.federation.time_left()
    if left <= 0:
        raise NetworkTimeout(padi.network, "not asked: the operation's deadline had passed")
    try:
        found = await asyncio.wait_for(padi.bumns(max_age=DIRECTORY_MAX_AGE), left)
    except TimeoutError:
        raise NetworkTimeout(padi.network, "no answer within the deadline") from None
    return [BumnBuyer(b, padi.network) for b in found]


def bumn_cursor(bumn: BumnBuyer) -> str:
    """The cursor right after ``bumn`` in the code-ordered list."""
    return base64.urlsafe_b64encode(f"Bumn|{bumn.record.id}".encode()).decode()


def _after(cursor: str) -> str:
    try:
        kind, _, code = base64.urlsafe_b64decode(cursor).decode().partition("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        kind, code = "", ""
    if kind != "Bumn" or not code:
        raise InputError("`after` is not a cursor of a BUMN this API issued")
    return code


async def bumns(
    context: Context,
    *,
    text: str | None,
    sector: str | None,
    region_code: str | None,
    first: int,
    after: str | None,
) -> BumnPage:
    """One page of BUMN buying on PaDi, by code: catalog:read (PaDi lists them openly)."""
    access.require(context, access.CATALOG_READ)
    first = validation.page_size(first, context.federation.limits.max_page_size)
    words = (validation.text(text) or "").lower().split()
    region = validation.region(region_code)
    start = _after(after) if after is not None else None
    wanted = [
        b
        for b in await directory(context)
        if (start is None or b.record.id > start)
        and all(w in f"{b.record.id} {b.record.name}".lower() for w in words)
        and (sector is None or b.record.sector.lower() == sector.strip().lower())
        and (region is None or _within(b.record.region_code, region))
    ]
    page = wanted[:first]
    return BumnPage(
        tuple((b, bumn_cursor(b)) for b in page), len(wanted) > first, after is not None
    )


def _within(code: str, region: str) -> bool:
    return code == region or code.startswith(f"{region}.")


async def bumn(context: Context, code: str) -> BumnBuyer | None:
    """The BUMN with PaDi id ``code``; None when PaDi lists none."""
    return next((b for b in await directory(context) if b.record.id == code), None)


def viewer(context: Context) -> ViewerRecord:
    """The request's token: any token may read it; UNAUTHENTICATED without one."""
    access.authenticated(context, "`viewer`")
    principal = context.principal
    assert principal is not None
    return ViewerRecord(
        principal.client_id, tuple(sorted(principal.scopes)), principal.organization
    )


async def organization(context: Context, global_id: str) -> Organisation | None:
    """The organisation ``global_id`` names, as its network lists it now: the token's own,
    so no scope is asked. None when it no longer exists (or is no organisation's ID)."""
    try:
        type_name, parts = from_global_id(global_id)
    except InputError:
        return None  # an external issuer's token may carry any text
    if type_name == "Bumn" and len(parts) == 1:
        return await bumn(context, parts[0])
    if type_name == "Cooperative" and len(parts) == 2:
        if parts[0] not in context.federation.by_code:
            return None
        # As ``node`` reads them: from the catalog index once loaded, else the network.
        directory = await context.loaders.directory()
        return await directory.cooperatives.load((parts[0], parts[1]))
    if type_name == "Supplier" and len(parts) == 1:
        listings = await (await context.loaders.directory()).listings.load(parts[0])
        return listings[0] if listings else None
    return None
