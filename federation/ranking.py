"""How products are ranked across networks: text relevance first, then price."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from connectors.records import ProductRecord


class ProductSort(StrEnum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"


def relevance(text: str | None, name: str) -> float:
    """0..2: the share of the query's words in ``name``, plus bonuses for the whole phrase."""
    if not text:
        return 0.0
    phrase = text.casefold().strip()
    haystack = name.casefold()
    words = phrase.split()
    score = sum(1 for word in words if word in haystack) / len(words) if words else 0.0
    if phrase in haystack:
        score += 0.5
        if haystack.startswith(phrase):
            score += 0.5
    return score


def product_key(sort: ProductSort, text: str | None) -> Callable[[ProductRecord], Any]:
    """The merge key: smaller comes first."""
    if sort is ProductSort.PRICE_ASC:
        return lambda p: (p.price, p.name)
    if sort is ProductSort.PRICE_DESC:
        return lambda p: (-p.price, p.name)
    return lambda p: (-relevance(text, p.name), p.price, p.name)
