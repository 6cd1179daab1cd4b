"""Sharing the aggregate order out: each participant's quantity and what it pays."""

from __future__ import annotations

from federation.groupbuy.model import Allocation, GroupBuy
from federation.groupbuy.pricing import share
from federation.orders.model import Order


def charged(group_buy: GroupBuy, order: Order) -> tuple[Allocation, ...]:
    """Each participant's share of the confirmed ``order``, at the price actually charged.

    The order's total is the supplier network's own figure; it is shared in proportion to
    quantity, so the allocations always add up to it, and each is quantity × unit price
    whenever the network charged a whole rupiah per unit (it does).
    """
    units = sum(p.quantity for p in group_buy.participants)
    line_price = order.lines[0].unit_price if order.lines else 0
    unit_price = order.total // units if units and order.total % units == 0 else line_price
    amounts = share(order.total, [p.quantity for p in group_buy.participants])
    return tuple(
        Allocation(p.network, p.cooperative_id, p.quantity, unit_price, amount)
        for p, amount in zip(group_buy.participants, amounts, strict=True)
    )


def uncharged(group_buy: GroupBuy) -> tuple[Allocation, ...]:
    """Each participant's quantity with nothing to pay: the group buy failed."""
    return tuple(
        Allocation(p.network, p.cooperative_id, p.quantity, None, 0) for p in group_buy.participants
    )
