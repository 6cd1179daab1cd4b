"""Helpers for the procurement tests: drafts, a settable clock, suppliers' products."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.records import ProductQuery, ProductRecord
from federation.hub import Federation
from federation.orders.tables import orders as orders_table
from federation.procurement.model import (
    Invitation,
    Organisation,
    QuoteDraft,
    QuoteLineDraft,
    Rfq,
    RfqDraft,
    RfqItemDraft,
)
from federation.procurement.tables import metadata

KERIPIK = "10794"  # in Jawa Barat: several SEJUK suppliers and two on PaDi
QUANTITY = 10
HOUR = 3_600.0


class Clock:
    """The service's time, moved by the test; starts at the real time (PaDi checks dates)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def after(self, seconds: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.now + seconds, dt.UTC)


def rfq_draft(
    clock: Clock,
    *,
    kbli: str = KERIPIK,
    quantity: int = QUANTITY,
    region: str = "32.73",
    prefer_small: bool = False,
    title: str = "Keripik untuk rapat tahunan",
) -> RfqDraft:
    return RfqDraft(
        title=title,
        items=(RfqItemDraft("Keripik singkong pedas, kemasan 250 g", kbli, quantity, "pak"),),
        delivery_region_code=region,
        deadline=clock.after(48 * HOUR),
        prefer_small=prefer_small,
    )


def invited(rfq: Rfq, network: str) -> list[Invitation]:
    return [i for i in rfq.invitations if i.network == network]


def supplier(invitation: Invitation) -> Organisation:
    return Organisation.supplier(invitation.nib)


async def orderable_product(
    federation: Federation, invitation: Invitation, quantity: int = QUANTITY
) -> ProductRecord | None:
    """One of the supplier's products that an order of ``quantity`` can take."""
    connector = federation.by_code[invitation.network]
    page = await connector.search_products(
        ProductQuery(supplier_id=invitation.supplier_id, in_stock=True), None, 50
    )
    for product in page.items:
        if product.min_order <= quantity and (product.stock is None or product.stock >= quantity):
            return product
    return None


async def listing_quote(
    federation: Federation, rfq: Rfq, invitation: Invitation, delivery_days: int = 5
) -> QuoteDraft:
    product = await orderable_product(federation, invitation)
    assert product is not None, f"{invitation.supplier_id} has nothing orderable"
    return QuoteDraft(
        rfq_id=rfq.id,
        network=invitation.network,
        lines=(QuoteLineDraft(position=0, product_id=product.id),),
        delivery_days=delivery_days,
    )


def priced_quote(rfq: Rfq, network: str, unit_price: int, delivery_days: int = 7) -> QuoteDraft:
    return QuoteDraft(
        rfq_id=rfq.id,
        network=network,
        lines=(QuoteLineDraft(position=0, unit_price=unit_price),),
        delivery_days=delivery_days,
        note="Harga termasuk ongkos kirim",
    )


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    """Rows in every procurement table and in ``orders``: what "nothing written" checks."""
    counts: dict[str, int] = {}
    async with engine.connect() as conn:
        for table in [*metadata.sorted_tables, orders_table]:
            counts[table.name] = int(
                (await conn.execute(select(func.count()).select_from(table))).scalar() or 0
            )
    return counts


async def local_supplier(federation: Federation, rfq: Rfq, network: str = "sejuk") -> Invitation:
    """The first supplier invited on ``network`` that has a product an order can take."""
    for invitation in invited(rfq, network):
        if await orderable_product(federation, invitation) is not None:
            return invitation
    raise AssertionError(f"no supplier invited on {network} has an orderable product")
