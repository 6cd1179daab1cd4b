"""Canonical queries as SEJUK query parameters, and the keys its batch lookups accept."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

from connectors.records import CooperativeQuery, ProductQuery, SupplierQuery

V = TypeVar("V")
Params = dict[str, str | int]

# "text": SEJUK's ``q`` is a case-insensitive substring of name, description or code, so
# the hub may ask it for a spelling its matcher needs (``federation.matching``).
PRODUCT_FILTERS = frozenset(
    {"text", "category", "region_code", "min_price", "max_price", "in_stock", "supplier_id"}
)
SUPPLIER_FILTERS = frozenset({"text", "kbli", "scale"})
COOPERATIVE_FILTERS = frozenset({"text", "type", "region_code"})

_ID = re.compile(r"[1-9]\d{0,11}")
_NIB = re.compile(r"\d{13}")
_KBLI = re.compile(r"\d{5}")
_WILAYAH = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
_JENIS = frozenset({"konsumen", "produsen", "serba_usaha", "simpan_pinjam", "pesantren"})
_MAX_KATEGORI = 50


class MatchesNothing(Exception):
    """A filter value SEJUK would refuse with a 400, and which none of its items can match."""


def product_params(q: ProductQuery) -> Params:
    """SEJUK's parameters for every field of ``q`` (all of them are native)."""
    return _present(
        {
            "q": _text(q.text),
            "kategori": _checked(q.category, len(q.category or "") <= _MAX_KATEGORI),
            "wilayah": _region(q.region_code),
            "harga_min": None if q.min_price is None else max(0, q.min_price),
            "harga_maks": _checked(q.max_price, (q.max_price or 0) >= 0),
            "ada_stok": None if q.in_stock is None else str(q.in_stock).lower(),
            "pemasok_id": _matching(q.supplier_id, _ID),
        }
    )


def supplier_params(q: SupplierQuery) -> Params:
    """SEJUK's parameters for text, KBLI and scale, plus a lone region or certification.

    SEJUK takes one region and one certification; when the query names exactly one it
    narrows natively, and the hub, which owns those fields, applies them again at no cost.
    SEJUK matches whole KBLI codes only, so a prefix (`10`, all food) is left to the hub.
    """
    certification = _single(q.certifications)
    return _present(
        {
            "q": _text(q.text),
            "wilayah": _region(_single(q.region_codes)),
            "kbli": q.kbli if q.kbli is not None and _KBLI.fullmatch(q.kbli) else None,
            "skala": None if q.scale is None else q.scale.value,
            "sertifikasi": None if certification is None else certification.value,
        }
    )


def cooperative_params(q: CooperativeQuery) -> Params:
    """SEJUK's parameters for every field of ``q`` (all of them are native)."""
    return _present(
        {
            "q": _text(q.text),
            "jenis": _checked(q.type, q.type is None or q.type in _JENIS),
            "wilayah": _region(q.region_code),
        }
    )


def native_ids(ids: Sequence[str]) -> list[str]:
    """The distinct ids SEJUK can know, in its order (others are simply not found)."""
    return sorted({i for i in ids if _ID.fullmatch(i)}, key=int)


def native_id(value: str) -> int | None:
    """``value`` as a SEJUK id, or None when SEJUK cannot have anything by that id."""
    return int(value) if _ID.fullmatch(value) else None


def native_nibs(nibs: Sequence[str]) -> list[str]:
    """The distinct well-formed (13-digit) NIBs."""
    return sorted({n for n in nibs if _NIB.fullmatch(n)})


def _present(params: Mapping[str, str | int | None]) -> Params:
    return {name: value for name, value in params.items() if value is not None}


def _checked(value: V | None, acceptable: bool) -> V | None:
    if not acceptable:
        raise MatchesNothing
    return value


def _text(text: str | None) -> str | None:
    return (text.strip() or None) if text is not None else None


def _matching(value: str | None, pattern: re.Pattern[str]) -> str | None:
    return _checked(value, value is None or bool(pattern.fullmatch(value)))


def _region(code: str | None) -> str | None:
    return _matching(code, _WILAYAH)


def _single(values: Sequence[V]) -> V | None:
    return values[0] if len(values) == 1 else None
