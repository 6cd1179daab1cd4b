"""Request plumbing every SEJUK endpoint shares: path ids, checked queries, JSON replies."""

from __future__ import annotations

from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse

from networks.common.http import parse_query
from networks.sejuk.auth import settings_of
from networks.sejuk.errors import galat
from networks.sejuk.paging import check_page_size
from networks.sejuk.schemas import CariQuery, HalamanQuery

Q = TypeVar("Q", bound=HalamanQuery)
_MAX_ID = 2**63 - 1


def path_id(request: Request, what: str) -> int:
    """The ``{id}`` path parameter; anything but a positive integer is simply not found."""
    raw = str(request.path_params["id"])
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= _MAX_ID:
        raise galat(404, "TIDAK_DITEMUKAN", f"{what} {raw} tidak ditemukan")
    return int(raw)


def paged_query(request: Request, model: type[Q]) -> Q:
    """The validated query of a paged endpoint, within the network's page-size limit."""
    query = parse_query(request, model)
    limit = settings_of(request).max_page_size
    check_page_size(query, limit)
    if isinstance(query, CariQuery) and query.batch_size() > limit:
        raise galat(400, "TERLALU_BANYAK_ID", f"paling banyak {limit} id sekaligus")
    return query


def reply(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)
