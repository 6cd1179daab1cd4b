"""Who gets an RFQ: suppliers selling what an item's KBLI names, near where it goes.

For each item, every network is asked for suppliers listing the item's KBLI code in the
delivery region's *province* (``32.73`` → ``32``): local UMKM first, as BUMN procurement
for UMKM intends. An item nobody in the province sells goes to suppliers nationwide. With
``prefer_small`` only usaha mikro and kecil are invited. A supplier listed on two
networks is invited on each: it quotes on the one it likes, and that network receives the
purchase order. Every network must answer: an RFQ is not published to a partial market.
"""

from __future__ import annotations

from collections.abc import Iterable

from connectors.base import Connector
from connectors.records import SupplierQuery, SupplierRecord
from federation.filters import supplier_matches
from federation.hub import Federation
from federation.procurement.model import SMALL_SCALES, Invitation, RfqDraft

PAGE_SIZE = 100
MAX_PAGES = 10  # per network and item: 1,000 suppliers is far past what one RFQ needs
MAX_INVITATIONS = 500


async def invite(federation: Federation, draft: RfqDraft) -> tuple[Invitation, ...]:
    """The suppliers to invite to ``draft``, in network then name order.

    Raises the first network's ConnectorError when a network cannot be asked.
    """
    province = draft.delivery_region_code[:2]
    chosen: dict[tuple[str, str], Invitation] = {}
    for kbli in dict.fromkeys(item.kbli for item in draft.items):
        found = await _suppliers(federation, SupplierQuery(kbli=kbli, region_codes=(province,)))
        if not _eligible(found, draft):
            found = await _suppliers(federation, SupplierQuery(kbli=kbli))
        for supplier in _eligible(found, draft):
            chosen.setdefault((supplier.nib, supplier.network), _invitation(supplier))
    order = {code: n for n, code in enumerate(federation.codes)}
    ranked = sorted(
        chosen.values(), key=lambda i: (order[i.network], i.supplier_name.casefold(), i.nib)
    )
    return tuple(ranked[:MAX_INVITATIONS])


def _eligible(found: Iterable[SupplierRecord], draft: RfqDraft) -> list[SupplierRecord]:
    return [s for s in found if not draft.prefer_small or s.scale in SMALL_SCALES]


async def _suppliers(federation: Federation, query: SupplierQuery) -> list[SupplierRecord]:
    async def every_page(connector: Connector) -> list[SupplierRecord]:
        found: list[SupplierRecord] = []
        after: str | None = None
        for _ in range(MAX_PAGES):
            page = await connector.search_suppliers(query, after, PAGE_SIZE)
            found.extend(s for s in page.items if supplier_matches(query, s))
            if not page.has_more or not page.positions:
                break
            after = page.positions[-1]
        return found

    fan = await federation.fan_out(every_page)
    for outcome in fan.failures:
        if outcome.error is not None:
            raise outcome.error
    return [s for suppliers in fan.values().values() for s in suppliers]


def _invitation(supplier: SupplierRecord) -> Invitation:
    return Invitation(
        nib=supplier.nib,
        network=supplier.network,
        supplier_id=supplier.id,
        supplier_name=supplier.name,
        scale=supplier.scale,
        region_code=supplier.region_code,
    )
