"""Reading what the OCDS releases are derived from: RFQs, quotes, awards, award orders.

``process`` is one RFQ's contracting process for its buyer (``Rfq.ocds``); ``since`` is a
BUMN's releases from a date on, a page at a time, for the bulk endpoint
(``GET /ocds/releases``). Both only read: the releases are derived anew on every request
from facts fixed at each stage (``federation.procurement.ocds``), so nothing is stored.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select

from federation.errors import ForbiddenError, InputError
from federation.orders.store import OrderStore
from federation.orders.tables import order_events
from federation.procurement import ocds
from federation.procurement.model import (
    Organisation,
    OrgKind,
    Rfq,
)
from federation.procurement.store import ProcurementStore
from federation.procurement.tables import awards, rfqs

MAX_PAGE = 100  # releases in one bulk page


@dataclass(frozen=True)
class Page:
    """A page of a BUMN's releases, oldest first; ``after`` continues right after it."""

    releases: tuple[ocds.Published, ...]
    after: str | None  # None on the last page


async def process(
    store: ProcurementStore, orders: OrderStore, buyer: Organisation, rfq: Rfq
) -> ocds.Process:
    """``rfq``'s contracting process, for its buyer (the releases name every quote)."""
    if buyer.kind is not OrgKind.BUMN or rfq.buyer_id != buyer.id:
        raise ForbiddenError("only the BUMN that published an RFQ exports it")
    (found,) = await processes(store, orders, [rfq])
    return found


async def processes(
    store: ProcurementStore, orders: OrderStore, found: Sequence[Rfq]
) -> list[ocds.Process]:
    """The contracting processes of ``found``, in a few reads whatever their number."""
    ids = [rfq.id for rfq in found]
    quotes = await store.quotes_for(ids) if ids else {}
    by_rfq = await store.awards_for(ids)
    order_ids = [a.order_id for a in by_rfq.values() if a.order_id is not None]
    placed = {o.id: o for o in await orders.load_many(order_ids)}
    made = []
    for rfq in found:
        award = by_rfq.get(rfq.id)
        order = placed.get(award.order_id) if award and award.order_id else None
        made.append(ocds.Process(rfq, tuple(quotes.get(rfq.id, [])), award, order))
    return made


async def since(
    store: ProcurementStore,
    orders: OrderStore,
    buyer_id: str,
    start: float,
    *,
    after: str | None = None,
    limit: int = MAX_PAGE,
    prefix: str = ocds.DEFAULT_PREFIX,
) -> Page:
    """The BUMN's releases dated at or after ``start`` (POSIX seconds), oldest first, at
    most ``limit`` (1-``MAX_PAGE``); ``after`` is the previous page's ``Page.after``.

    At or after, not strictly after: a consumer that polls again from the newest date it
    holds gets that second's releases again (the same ids, unchanged) rather than missing
    one published later in that second."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"`limit` must be 1-{MAX_PAGE}")
    position = _decode(after) if after is not None else None
    start = math.floor(start)  # release dates are whole seconds: compare as they read
    # Only processes with a stage at or after the start (or the cursor) can have a release
    # there: each release's date is its stage's time, or a later one it is held to.
    floor = max(start, position[0] if position else start)
    ids = await _active_since(store, buyer_id, floor)
    found: list[ocds.Published] = []
    for each in await processes(store, orders, await store.load_rfqs(ids)):
        for published in ocds.releases(each, prefix):
            if published.at >= start and (position is None or published.key > position):
                found.append(published)
    found.sort(key=lambda p: p.key)
    page, more = found[:limit], len(found) > limit
    return Page(tuple(page), _encode(page[-1].key) if more else None)


async def _active_since(store: ProcurementStore, buyer_id: str, floor: int) -> list[str]:
    """The buyer's RFQs published, awarded, or whose award order moved at or after
    ``floor``."""
    awarded = select(awards.c.rfq_id).where(
        awards.c.buyer_id == buyer_id, awards.c.created_at >= floor
    )
    moved = (
        select(awards.c.rfq_id)
        .join(order_events, order_events.c.order_id == awards.c.order_id)
        .where(awards.c.buyer_id == buyer_id, order_events.c.created_at >= floor)
    )
    query = select(rfqs.c.id).where(
        rfqs.c.buyer_id == buyer_id,
        or_(rfqs.c.created_at >= floor, rfqs.c.id.in_(awarded), rfqs.c.id.in_(moved)),
    )
    async with store.engine.connect() as conn:
        return [row.id for row in await conn.execute(query)]


def _encode(key: tuple[int, str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, str, int]:
    """A page cursor back into its release key; InputError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, ocid, rank = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise InputError("`after` is not a cursor this endpoint gave") from None
    if not (isinstance(at, int) and isinstance(ocid, str) and isinstance(rank, int)):
        raise InputError("`after` is not a cursor this endpoint gave")
    return (at, ocid, rank)
