"""What every Tangerang handler shares: its services, authentication and JSON replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, or_
from starlette.requests import Request
from starlette.responses import JSONResponse

from networks.common.errors import ApiError
from networks.tangerang.auth import Authenticator
from networks.tangerang.broadcast import Broadcaster
from networks.tangerang.ids import Kind, parse_id
from networks.tangerang.paging import CursorCodec
from networks.tangerang.settings import TangerangSettings


@dataclass
class Services:
    """The per-app objects handlers need besides the database."""

    settings: TangerangSettings
    authenticator: Authenticator
    cursors: CursorCodec
    broadcaster: Broadcaster


def services(request: Request) -> Services:
    found: Services = request.app.state.tangerang
    return found


async def authenticate(request: Request) -> str:
    """The signed request's client id (401 otherwise)."""
    return await services(request).authenticator.authenticate(request)


def reply(
    model: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A JSON response from a response model."""
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def now_iso() -> str:
    """The current UTC time, second precision, ``Z`` suffix."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def not_found(kind: str, identifier: str) -> ApiError:
    return ApiError(404, f"{kind}_not_found", f"no {kind} with id {identifier!r}")


def path_id(request: Request, kind: Kind, name: str) -> int:
    """The row number of the ``{id}`` path parameter; 404 when it is no id of ``kind``."""
    raw = str(request.path_params["id"])
    number = parse_id(kind, raw)
    if number is None:
        raise not_found(name, raw)
    return number


def filter_id(kind: Kind, field: str, value: str) -> int:
    """The row number of an id given as a filter; a malformed one is a 400."""
    number = parse_id(kind, value)
    if number is None:
        raise ApiError(
            400,
            "invalid_parameter",
            f"{field} is not a valid id",
            [{"field": field, "problem": f"expected an id like {kind.value}000001"}],
        )
    return number


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with wildcards in it taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def region_matches(column: Any, code: str) -> ColumnElement[bool]:
    """A region code filter: the code itself or any region inside it ("36" -> "36.71")."""
    return or_(column == code, column.like(f"{code}.%"))


def batch_ids(ids: list[str], limit: int, field: str = "ids") -> None:
    """Batch lookups take at most one page worth of ids."""
    if len(ids) > limit:
        raise ApiError(
            400,
            "too_many_ids",
            f"at most {limit} {field} per batch",
            [{"field": field, "problem": f"{len(ids)} given"}],
        )
