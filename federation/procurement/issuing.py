"""An award's purchase order through the order saga, for a BUMN buyer.

``OrderService.place`` takes a cooperative as buyer and prices from the networks again;
an award already has a priced, checked draft (the quote's listings) and a BUMN as buyer.
So the draft goes to the saga's own entry points — ``OrderStore.create`` (order, lines,
sub-order, outbox task in one transaction, idempotent by key) and the worker's ``drain``
— exactly as ``place`` does after drafting. The key ``rfq-award:<rfq>`` makes a repeat
(a resumed award, a second replica) find the same order instead of placing another.
"""

from __future__ import annotations

import time

from federation.orders.model import Order, OrderDraft, OrderState
from federation.orders.service import IN_FLIGHT, OrderService
from federation.procurement.model import AwardStatus

# Issued once a network confirmed it: a later cancel is the order's business, not the award's.
ISSUED = frozenset(
    {
        OrderState.CONFIRMED,
        OrderState.SHIPPED,
        OrderState.DELIVERED,
        OrderState.CANCELLING,
        OrderState.CANCELLED,
    }
)


async def place(orders: OrderService, draft: OrderDraft, settle_seconds: float) -> Order:
    """Write the order (or find the one its key made), run its saga, and wait a little
    for the outcome; the order worker finishes whatever is left."""
    order, created = await orders.store.create(draft)
    if created:
        await orders.worker.drain(order.id)
    deadline = time.monotonic() + settle_seconds
    order = await orders.get(order.id)
    while order.status in IN_FLIGHT and time.monotonic() < deadline:
        await orders.bus.wait(order.id, min(0.5, max(0.0, deadline - time.monotonic())))
        order = await orders.get(order.id)
    return order


def award_status(order: Order) -> AwardStatus:
    """Where an award stands, given its order's state."""
    if order.status in ISSUED:
        return AwardStatus.ISSUED
    if order.status is OrderState.FAILED:
        return AwardStatus.FAILED
    return AwardStatus.ISSUING
