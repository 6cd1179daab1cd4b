"""What Tangerang filters natively, as its query parameters.

The hub applies every filter again, so a parameter here may narrow less than the query
but never more. The network matches ``q`` against names with an ASCII case-insensitive
LIKE: as the hub matches supplier and cooperative names, so that text goes down whenever
it is ASCII; a product's text, which the hub matches in words of name, description and
category (``federation.matching``), never does. ``kbli`` only as a full five-digit code
(the hub matches prefixes); one of several required certifications; a region list of one.
"""

from __future__ import annotations

import re
from typing import get_args

from connectors.records import Capabilities, CooperativeQuery, ProductQuery, SupplierQuery
from connectors.tangerang.native import CooperativeType

MAX_PAGE_SIZE = 100
_REGION = re.compile(r"\d{2}(\.\d{2}){0,2}(\.\d{4})?")
_KBLI = re.compile(r"\d{5}")
_MERCHANT_ID = re.compile(r"mrc_(?=\d{1,12}\Z)0*[1-9]\d*")
_MAX_TEXT = 100
_MONEY_LIMIT = 10**13  # the network's amounts have at most 13 integer digits
_COOPERATIVE_TYPES = frozenset(get_args(CooperativeType))

Params = dict[str, str]

CAPABILITIES = Capabilities(
    # No "text": the items' ``q`` searches names only, and a product matches by its
    # description too.
    product_filters=frozenset(
        {"category", "region_code", "min_price", "max_price", "in_stock", "supplier_id"}
    ),
    supplier_filters=frozenset({"text", "kbli", "scale"}),
    cooperative_filters=frozenset({"text", "type", "region_code"}),
    max_page_size=MAX_PAGE_SIZE,
)


def item_params(query: ProductQuery) -> Params | None:
    """The native filters of ``query`` (its text is the hub's); None when it cannot match
    anything here."""
    params: Params = {}
    if query.category is not None:
        params["category"] = query.category
    if query.region_code is not None:
        if not _REGION.fullmatch(query.region_code):
            return None
        params["region_code"] = query.region_code
    if query.supplier_id is not None:
        if not _MERCHANT_ID.fullmatch(query.supplier_id):
            return None
        params["merchant_id"] = query.supplier_id
    if query.in_stock is not None:
        params["in_stock"] = "true" if query.in_stock else "false"
    prices = _price_params(query.min_price, query.max_price)
    return None if prices is None else params | prices


def _price_params(low: int | None, high: int | None) -> Params | None:
    """Price bounds as the decimal strings the network takes; None when none can match."""
    if (low is not None and low >= _MONEY_LIMIT) or (high is not None and high < 0):
        return None
    params: Params = {}
    if low is not None and low > 0:
        params["min_price"] = f"{low}.00"
    if high is not None and high < _MONEY_LIMIT:
        params["max_price"] = f"{high}.00"
    return params


def merchant_params(query: SupplierQuery) -> Params | None:
    """The native filters of ``query``; None when it cannot match anything here."""
    params = _name_params(query.text)
    if query.kbli is not None and _KBLI.fullmatch(query.kbli):
        params["kbli"] = query.kbli
    if query.scale is not None:
        params["scale"] = query.scale.value
    if query.certifications:
        params["certification"] = query.certifications[0].value
    if len(query.region_codes) == 1:
        if not _REGION.fullmatch(query.region_codes[0]):
            return None
        params["region_code"] = query.region_codes[0]
    return params


def cooperative_params(query: CooperativeQuery) -> Params | None:
    """The native filters of ``query``; None when it cannot match anything here."""
    params = _name_params(query.text)
    if query.type is not None:
        if query.type not in _COOPERATIVE_TYPES:
            return None
        params["type"] = query.type
    if query.region_code is not None:
        if not _REGION.fullmatch(query.region_code):
            return None
        params["region_code"] = query.region_code
    return params


def _name_params(text: str | None) -> Params:
    """``q`` for a name search the network matches exactly as the hub does."""
    needle = (text or "").strip()
    if needle and needle.isascii() and len(needle) <= _MAX_TEXT:
        return {"q": needle}
    return {}
