"""Wholesale tiers (*harga grosir*): how large suppliers discount by quantity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# (minimum quantity, percent off the unit price) for large suppliers' goods.
STANDARD_TIERS: tuple[tuple[int, int], ...] = ((10, 3), (50, 6), (200, 9))


def tiers_for(price: int) -> list[dict[str, int]]:
    """The standard tiers for a unit ``price``, ascending by minimum quantity."""
    return [
        {"minimal": minimum, "harga": round(price * (100 - percent) / 100)}
        for minimum, percent in STANDARD_TIERS
    ]


def unit_price(price: int, tiers: Sequence[Any], quantity: int) -> tuple[int, int | None]:
    """The unit price for ``quantity`` and the ``minimal`` of the tier it reached, if any."""
    reached = [t for t in tiers if quantity >= int(t["minimal"])]
    if not reached:
        return price, None
    best = max(reached, key=lambda t: int(t["minimal"]))
    return int(best["harga"]), int(best["minimal"])
