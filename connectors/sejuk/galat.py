"""SEJUK's ``{"galat": {...}}`` errors, read back out of a ``NetworkRejected``.

``JsonClient`` keeps the start of a refused answer's body in the error's message; SEJUK
puts ``kode`` and ``pesan`` first, so they survive even when long details are cut off.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from connectors.errors import NetworkRejected
from connectors.sejuk.native import GALAT, GalatIsi

_KODE = re.compile(r'"kode"\s*:\s*"([A-Z_]+)"')
_PESAN = re.compile(r'"pesan"\s*:\s*("(?:[^"\\]|\\.)*")')

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
    _, _, body = error.message.partition(f"answered {error.status}: ")
    try:
        return GALAT.validate_python(json.loads(body)).galat
    except (ValueError, ValidationError):
        pass
    kode, pesan = _KODE.search(body), _PESAN.search(body)
    if kode is None or pesan is None:
        return None
    return GalatIsi(kode=kode.group(1), pesan=json.loads(pesan.group(1)))


def refusal(network: str, what: str, error: NetworkRejected) -> NetworkRejected:
    """``error`` restated for the buyer: what was refused, why, and SEJUK's own words."""
    galat = galat_of(error)
    if galat is None:
        return error
    meaning = _MEANING.get(galat.kode)
    reason = f"{meaning} — SEJUK: {galat.pesan}" if meaning else f"SEJUK: {galat.pesan}"
    details = "; ".join(_detail(d) for d in galat.rincian)
    message = f"{what}: {reason} [{galat.kode}]" + (f" ({details})" if details else "")
    return NetworkRejected(network, message, error.status)


def _detail(detail: Mapping[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in detail.items())
