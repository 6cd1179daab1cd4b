"""Filters the hub applies itself, whatever a network did or did not push down.

Applying every filter in the hub as well keeps results identical across networks whose
APIs filter differently; pushed-down filters just mean less to fetch. A product's text
matches as the catalog index matches it (``federation.index.text.match``: normalised
words, synonyms, the last word as a prefix, in name, description or category), not as a
substring of its name.
"""

from __future__ import annotations

from functools import lru_cache

from connectors.records import (
    CertificationKind,
    CooperativeQuery,
    CooperativeRecord,
    ProductQuery,
    ProductRecord,
    SupplierQuery,
    SupplierRecord,
)
from federation.index.text import TextQuery, document, match, parse

# Parsing is per query, matching per product: parse each text once.
parsed = lru_cache(maxsize=256)(parse)


def in_region(code: str, wanted: str) -> bool:
    """``code`` is ``wanted`` or lies inside it (``32`` holds ``32.73``)."""
    return code == wanted or code.startswith(f"{wanted}.")


def contains(text: str | None, *fields: str) -> bool:
    if not text:
        return True
    needle = text.casefold().strip()
    return any(needle in field.casefold() for field in fields)


def text_matches(text: TextQuery, product: ProductRecord) -> bool:
    """Every group of ``text`` is in the product's name, description or category."""
    return match(text, *document(product.name, product.description, product.category)).anywhere


def product_matches(query: ProductQuery, product: ProductRecord) -> bool:
    """``product`` meets every field of ``query``, text included."""
    return (
        (query.category is None or product.category == query.category)
        and (query.region_code is None or in_region(product.region_code, query.region_code))
        and (query.min_price is None or product.price >= query.min_price)
        and (query.max_price is None or product.price <= query.max_price)
        and (query.in_stock is None or _in_stock(product) == query.in_stock)
        and (query.supplier_id is None or product.supplier_id == query.supplier_id)
        and text_matches(parsed(query.text), product)
    )


def _in_stock(product: ProductRecord) -> bool:
    # Unknown stock counts as orderable: the network will say at order time.
    return product.stock is None or product.stock > 0


def supplier_matches(query: SupplierQuery, supplier: SupplierRecord) -> bool:
    kinds = {c.kind for c in supplier.certifications}
    return (
        contains(query.text, supplier.name)
        and (
            not query.region_codes
            or any(in_region(supplier.region_code, code) for code in query.region_codes)
        )
        and (query.kbli is None or any(k.startswith(query.kbli) for k in supplier.kbli))
        and (query.scale is None or supplier.scale == query.scale)
        and all(kind in kinds for kind in query.certifications)
        and (not query.verified_only or supplier.verified is True)
    )


def has_certifications(
    supplier: SupplierRecord | None, wanted: tuple[CertificationKind, ...]
) -> bool:
    if not wanted:
        return True
    if supplier is None:
        return False
    kinds = {c.kind for c in supplier.certifications}
    return all(kind in kinds for kind in wanted)


def cooperative_matches(query: CooperativeQuery, cooperative: CooperativeRecord) -> bool:
    return (
        contains(query.text, cooperative.name)
        and (query.type is None or cooperative.type == query.type)
        and (query.region_code is None or in_region(cooperative.region_code, query.region_code))
    )
