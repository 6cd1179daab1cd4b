"""SEJUK's ``{"galat": {...}}`` errors, read from a ``NetworkRejected``'s answer body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from connectors.errors import NetworkRejected
from connectors.sejuk.native import GALAT, GalatIsi

# What each refusal asks of the buyer, in the hub's language; SEJUK's own words follow.
_MEANING: dict[str, str] = {
    "STOK_TIDAK_CUKUP": "not enough stock",
    "DI_BAWAH_MINIMAL_PESAN": "quantity below the product's minimum order",
    "PRODUK_TIDAK_DITEMUKAN": "product not in SEJUK's catalogue (unknown or deleted)",
    "BARIS_GANDA": "a product appears on more than one line",
    "DATA_TIDAK_VALID": "the order does not fit SEJUK's rules",
    "TIDAK_DAPAT_DIBATALKAN": "too late to cancel",
    "REFERENSI_GANDA": "reference already used",
}


def galat_of(error: NetworkRejected) -> GalatIsi | None:
    """SEJUK's error inside ``error``, or None when the answer was not one."""
    try:
        return GALAT.validate_python(error.body).galat
    except ValidationError:
        return None


def refusal(network: str, what: str, error: NetworkRejected) -> NetworkRejected:
    """``error`` restated for the buyer: what was refused, why, and SEJUK's own words."""
    galat = galat_of(error)
    if galat is None:
        return error
    meaning = _MEANING.get(galat.kode)
    reason = f"{meaning} — SEJUK: {galat.pesan}" if meaning else f"SEJUK: {galat.pesan}"
    details = "; ".join(_detail(d) for d in galat.rincian)
    message = f"{what}: {reason} [{galat.kode}]" + (f" ({details})" if details else "")
    return NetworkRejected(network, message, error.status, error.body, request_id=error.request_id)


def _detail(detail: Mapping[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in detail.items())
