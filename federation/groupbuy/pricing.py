"""Wholesale tiers for a group buy: the price a total reaches, and sharing out what was charged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from connectors.records import PriceTier


@dataclass(frozen=True)
class PriceQuote:
    """The tier a total quantity reaches, and what the next tier needs."""

    total_quantity: int
    unit_price: int  # rupiah per unit at this total
    next_tier_quantity: int | None  # the total from which the next tier applies
    next_tier_unit_price: int | None

    @property
    def units_to_next_tier(self) -> int | None:
        """How many more units, from anyone, reach the next tier (None: at the top tier)."""
        if self.next_tier_quantity is None:
            return None
        return self.next_tier_quantity - self.total_quantity

    def amount_for(self, quantity: int) -> int:
        """What ``quantity`` units cost at this tier, in rupiah."""
        return self.unit_price * quantity


def ladder(list_price: int, tiers: Sequence[PriceTier]) -> tuple[PriceTier, ...]:
    """A product's prices from one unit on: its list price, then its wholesale tiers.

    A product without tiers has one step, at its list price.
    """
    steps = {1: list_price}
    for tier in sorted(tiers, key=lambda t: t.min_quantity):
        steps[max(1, tier.min_quantity)] = tier.unit_price
    return tuple(PriceTier(quantity, price) for quantity, price in sorted(steps.items()))


def quote(steps: Sequence[PriceTier], total: int) -> PriceQuote:
    """The price per unit at ``total`` (the highest step it reaches) and the step after."""
    current = steps[0]  # the list price, even for a total of nothing yet
    for step in steps[1:]:
        if total < step.min_quantity:
            return PriceQuote(total, current.unit_price, step.min_quantity, step.unit_price)
        current = step
    return PriceQuote(total, current.unit_price, None, None)


def share(total_amount: int, quantities: Sequence[int]) -> tuple[int, ...]:
    """``total_amount`` split in proportion to ``quantities``, in whole rupiah, summing to it.

    Exact when the amount is a whole price per unit; otherwise the leftover rupiah go to
    the largest remainders (earlier participants first on ties).
    """
    units = sum(quantities)
    if units == 0:
        return tuple(0 for _ in quantities)
    floors = [total_amount * q // units for q in quantities]
    remainders = [total_amount * q % units for q in quantities]
    leftover = total_amount - sum(floors)
    for index in sorted(range(len(quantities)), key=lambda i: (-remainders[i], i))[:leftover]:
        floors[index] += 1
    return tuple(floors)
