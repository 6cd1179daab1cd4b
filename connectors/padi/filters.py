"""Canonical queries as PaDi filter inputs, and which fields PaDi filters on natively.

A PaDi filter is sent only where it never drops what the hub's own filter keeps; the
hub filters every result again. So region codes (PaDi matches them exactly, the hub also
takes prefixes: "32" is all of Jawa Barat) and KBLI (the hub takes prefixes too) are sent
only when they are full codes, and are not claimed. PaDi matches text in names: as the
hub matches supplier and cooperative names, but a product's text is matched by the hub in
words of name, description and category (``federation.matching``), so it stays here.
"""

from __future__ import annotations

import re
from typing import Any, get_args

from connectors.padi.native import PadiCooperativeType
from connectors.records import CooperativeQuery, ProductQuery, SupplierQuery

FULL_REGION = re.compile(r"\d{2}\.\d{2}")
FULL_KBLI = re.compile(r"\d{5}")
COOPERATIVE_TYPES = frozenset(t.lower() for t in get_args(PadiCooperativeType))

PRODUCT_FILTERS = frozenset({"category", "min_price", "max_price", "in_stock", "supplier_id"})
SUPPLIER_FILTERS = frozenset({"text", "scale", "certifications", "verified_only"})
COOPERATIVE_FILTERS = frozenset({"text", "type"})


def _full(pattern: re.Pattern[str], code: str | None) -> str | None:
    return code if code is not None and pattern.fullmatch(code) else None


def _text(text: str | None) -> str | None:
    return (text or "").strip() or None


def product_filter(query: ProductQuery) -> dict[str, Any]:
    """PaDi's ``ProductFilter`` for ``query`` (its text is the hub's)."""
    fields = {
        "category": query.category,
        "umkmId": query.supplier_id,
        "regionCode": _full(FULL_REGION, query.region_code),
        "minPrice": query.min_price,
        "maxPrice": query.max_price,
        "inStock": query.in_stock,
    }
    return {name: value for name, value in fields.items() if value is not None}


def umkm_filter(query: SupplierQuery) -> dict[str, Any]:
    """PaDi's ``UmkmFilter`` for ``query``."""
    regions = [_full(FULL_REGION, code) for code in query.region_codes]
    fields = {
        "text": _text(query.text),
        "regionCodes": regions if regions and None not in regions else None,
        "kbli": _full(FULL_KBLI, query.kbli),
        "scale": query.scale.value.upper() if query.scale else None,
        "certifications": [c.value.upper() for c in query.certifications] or None,
        "verifiedOnly": query.verified_only or None,
    }
    return {name: value for name, value in fields.items() if value is not None}


def cooperative_filter(query: CooperativeQuery) -> dict[str, Any] | None:
    """PaDi's ``CooperativeFilter`` for ``query``; None when no PaDi koperasi can match."""
    if query.type is not None and query.type not in COOPERATIVE_TYPES:
        return None
    fields = {
        "text": _text(query.text),
        "type": query.type.upper() if query.type else None,
        "regionCode": _full(FULL_REGION, query.region_code),
    }
    return {name: value for name, value in fields.items() if value is not None}
