"""Opaque cursors: urlsafe base64 of a keyset position, tagged so tampering is caught."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from networks.common.errors import ApiError


class PageQuery(BaseModel):
    """``?limit=&cursor=`` shared by every list."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, description="page size, at most max_page_size")
    cursor: str | None = Field(default=None, description="next_cursor of the previous page")


def invalid_cursor(message: str = "cursor is malformed or was altered") -> ApiError:
    return ApiError(400, "invalid_cursor", message)


class CursorCodec:
    """Encodes ``(scope, position)`` so that only this server's cursors decode."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def _tag(self, scope: str, position: int) -> str:
        mac = hmac.new(self._key, f"{scope}:{position}".encode(), hashlib.sha256)
        return mac.hexdigest()[:16]

    def encode(self, scope: str, position: int) -> str:
        """The cursor resuming ``scope`` after ``position``."""
        payload = {"s": scope, "p": position, "t": self._tag(scope, position)}
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, scope: str, cursor: str | None) -> int:
        """The position after which ``scope`` resumes; 0 without a cursor."""
        if cursor is None:
            return 0
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            payload: Any = json.loads(raw)
        except (binascii.Error, ValueError):
            raise invalid_cursor() from None
        if not isinstance(payload, dict):
            raise invalid_cursor()
        position = payload.get("p")
        tag = payload.get("t")
        if not isinstance(position, int) or isinstance(position, bool) or not isinstance(tag, str):
            raise invalid_cursor()
        if payload.get("s") != scope:
            raise invalid_cursor("cursor belongs to another list")
        if position < 0 or not hmac.compare_digest(tag, self._tag(scope, position)):
            raise invalid_cursor()
        return position


def check_limit(limit: int, max_page_size: int) -> None:
    """Pages larger than the configured maximum are refused, not silently clipped."""
    if limit > max_page_size:
        raise ApiError(
            400,
            "page_size_too_large",
            f"limit may be at most {max_page_size}",
            [{"field": "limit", "problem": f"greater than {max_page_size}"}],
        )
