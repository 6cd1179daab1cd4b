"""Tier prices for a total, what the next tier needs, and sharing a charged total out."""

from __future__ import annotations

import pytest

from connectors.records import PriceTier
from federation.groupbuy.pricing import PriceQuote, ladder, quote, share

STEPS = ladder(10_000, (PriceTier(50, 9_400), PriceTier(10, 9_700), PriceTier(200, 9_100)))


def test_the_ladder_starts_at_the_list_price_and_climbs_the_wholesale_tiers() -> None:
    expected = (
        PriceTier(1, 10_000),
        PriceTier(10, 9_700),
        PriceTier(50, 9_400),
        PriceTier(200, 9_100),
    )
    assert expected == STEPS


def test_a_product_without_tiers_has_one_tier_at_its_list_price() -> None:
    assert ladder(5_000, ()) == (PriceTier(1, 5_000),)
    assert quote(ladder(5_000, ()), 300) == PriceQuote(300, 5_000, None, None)


@pytest.mark.parametrize(
    ("total", "price", "next_at", "next_price", "more"),
    [
        (0, 10_000, 10, 9_700, 10),
        (9, 10_000, 10, 9_700, 1),
        (10, 9_700, 50, 9_400, 40),
        (49, 9_700, 50, 9_400, 1),
        (50, 9_400, 200, 9_100, 150),
        (200, 9_100, None, None, None),
        (5_000, 9_100, None, None, None),
    ],
)
def test_the_price_follows_the_total_and_names_the_next_tier(
    total: int, price: int, next_at: int | None, next_price: int | None, more: int | None
) -> None:
    found = quote(STEPS, total)
    assert (found.unit_price, found.next_tier_quantity, found.next_tier_unit_price) == (
        price,
        next_at,
        next_price,
    )
    assert found.units_to_next_tier == more
    assert found.amount_for(3) == 3 * price


def test_a_charged_total_is_shared_by_quantity_and_always_adds_up() -> None:
    assert share(9_700 * 15, [5, 10]) == (9_700 * 5, 9_700 * 10)
    uneven = share(100, [1, 1, 1])
    assert sum(uneven) == 100
    assert sorted(uneven) == [33, 33, 34]
    assert share(0, [0]) == (0,)
