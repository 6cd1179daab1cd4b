"""Where an award stands, from its purchase order's state.

``OrderService.place`` takes a cooperative as buyer and prices from the networks again;
an award already has a priced, checked draft (the quote's listings) and a BUMN as buyer,
so it goes through ``OrderService.place_draft``. The key ``rfq-award:<rfq>`` makes a
repeat (a resumed award, a second replica) find the same order instead of placing another.
"""

from __future__ import annotations

from federation.orders.model import Order, OrderState
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


def award_status(order: Order) -> AwardStatus:
    """Where an award stands, given its order's state."""
    if order.status in ISSUED:
        return AwardStatus.ISSUED
    if order.status is OrderState.FAILED:
        return AwardStatus.FAILED
    return AwardStatus.ISSUING
