"""SEJUK's error style: ``{"galat": {"kode", "pesan", "rincian"}}`` for every failure."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from networks.common.errors import ApiError
from networks.sejuk.schemas import GalatIsi, GalatRespons

log = logging.getLogger(__name__)

# The shared helpers speak English codes; partners of SEJUK read these instead.
_KODE: dict[str, str] = {
    "bad_request": "PERMINTAAN_TIDAK_VALID",
    "unauthorized": "TIDAK_BERWENANG",
    "not_found": "TIDAK_DITEMUKAN",
    "conflict": "KONFLIK",
    "unprocessable": "DATA_TIDAK_VALID",
    "payload_too_large": "MUATAN_TERLALU_BESAR",
}
_HTTP_KODE: dict[int, tuple[str, str]] = {
    404: ("TIDAK_DITEMUKAN", "alamat tidak ditemukan"),
    405: ("METODE_TIDAK_DIIZINKAN", "metode tidak diizinkan untuk alamat ini"),
}


@dataclass
class SejukError(ApiError):
    """An ``ApiError`` that may name the existing order a duplicate reference points at."""

    pesanan_id: int | None = None


def galat(
    status: int, kode: str, pesan: str, rincian: list[dict[str, Any]] | None = None
) -> ApiError:
    """An error already carrying SEJUK's own code."""
    return ApiError(status, kode, pesan, rincian or [])


def _rincian(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"kolom": d["field"], "masalah": d["problem"]} if set(d) == {"field", "problem"} else d
        for d in details
    ]


def _render(status: int, isi: GalatIsi, headers: Mapping[str, str] | None = None) -> Response:
    body = GalatRespons(galat=isi).model_dump(mode="json", exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers)


async def api_error(_: Request, exc: Exception) -> Response:
    """Render an ``ApiError`` (raised anywhere) in SEJUK's style."""
    assert isinstance(exc, ApiError)
    isi = GalatIsi(
        kode=_KODE.get(exc.code, exc.code.upper()),
        pesan=exc.message,
        rincian=_rincian(exc.details),
        pesanan_id=exc.pesanan_id if isinstance(exc, SejukError) else None,
    )
    return _render(exc.status, isi, exc.headers or None)


async def http_error(_: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (unknown path, wrong method) in SEJUK's style."""
    assert isinstance(exc, HTTPException)
    kode, pesan = _HTTP_KODE.get(exc.status_code, ("GALAT_HTTP", str(exc.detail)))
    return _render(exc.status_code, GalatIsi(kode=kode, pesan=pesan), exc.headers)


async def unexpected_error(_: Request, exc: Exception) -> Response:
    """Anything unforeseen: a clean 500, logged, never a traceback to the partner."""
    log.exception("unexpected error", exc_info=exc)
    return _render(500, GalatIsi(kode="GALAT_INTERNAL", pesan="terjadi kesalahan pada server"))


EXCEPTION_HANDLERS = {
    ApiError: api_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
