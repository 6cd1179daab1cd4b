"""RFQs on PaDi itself: published there, quoted there, awarded there.

PaDi has its own RFQ board with free-priced quotations and an ``awardRfq`` that makes the
purchase order (with the BUMN as buyer, so it counts in PaDi's spend figures). Its RFQs
take one KBLI and one quantity: each item of the hub's RFQ is one PaDi RFQ, a quote is
one PaDi quotation per item, and an award one ``awardRfq`` per item.
"""

from __future__ import annotations

import datetime as dt

from connectors.errors import NetworkRejected
from connectors.padi.procurement import PadiProcurement
from federation.errors import ConflictError
from federation.procurement.model import (
    Invitation,
    NativeOrder,
    Quote,
    QuoteDraft,
    QuoteLine,
    Rfq,
    RfqDraft,
    RfqItem,
)


async def publish(
    padi: PadiProcurement, bumn_id: str, draft: RfqDraft, reference: str | None = None
) -> tuple[RfqItem, ...]:
    """One PaDi RFQ per item; the items with PaDi's RFQ ids. With a ``reference``, item
    ``n`` is sent as ``<reference>-<n>``: publishing again (a retry after a failure
    half-way) returns the RFQs PaDi already opened rather than opening more."""
    deadline = draft.deadline.astimezone(dt.UTC).date()
    items: list[RfqItem] = []
    for position, item in enumerate(draft.items):
        native = await padi.publish_rfq(
            bumn_id=bumn_id,
            title=f"{draft.title.strip()} — {item.description.strip()}"[:200],
            description=draft.description,
            kbli=item.kbli,
            quantity=item.quantity,
            unit=item.unit,
            deadline=deadline,
            region_code=draft.delivery_region_code,
            client_reference=None if reference is None else f"{reference}-{position}",
        )
        items.append(
            RfqItem(position, item.description, item.kbli, item.quantity, item.unit, native.id)
        )
    return tuple(items)


async def quote(
    padi: PadiProcurement, rfq: Rfq, invitation: Invitation, draft: QuoteDraft
) -> tuple[QuoteLine, ...]:
    """The supplier's quotation on each item's PaDi RFQ; PaDi's refusal is a CONFLICT."""
    items = {item.position: item for item in rfq.items}
    lines: list[QuoteLine] = []
    for line in sorted(draft.lines, key=lambda x: x.position):
        item = items[line.position]
        assert line.unit_price is not None
        assert item.native_rfq_id is not None
        try:
            native = await padi.submit_quotation(
                rfq_id=item.native_rfq_id,
                umkm_id=invitation.supplier_id,
                unit_price=line.unit_price,
                quantity=item.quantity,
                delivery_days=draft.delivery_days,
                note=draft.note,
            )
        except NetworkRejected as error:
            if error.status != 409:
                raise
            raise ConflictError(
                f"item {line.position + 1}: PaDi refused the quotation ({error.message})"
            ) from None
        lines.append(
            QuoteLine(
                position=line.position,
                product_id=None,
                native_quote_id=native.id,
                unit_price=native.unit_price,
                quantity=native.quantity,
                amount=native.amount,
            )
        )
    return tuple(lines)


async def award(padi: PadiProcurement, rfq: Rfq, winner: Quote) -> tuple[NativeOrder, ...]:
    """``awardRfq`` for every item: PaDi's purchase orders, one per item (safe to repeat)."""
    items = {item.position: item for item in rfq.items}
    orders: list[NativeOrder] = []
    for line in winner.lines:
        native_rfq = items[line.position].native_rfq_id
        assert native_rfq is not None
        assert line.native_quote_id is not None
        order = await padi.award(native_rfq, line.native_quote_id)
        orders.append(NativeOrder(line.position, padi.network, order.id, order.total))
    return tuple(orders)
