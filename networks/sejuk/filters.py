"""SQL conditions the catalogue searches share: text, region prefix, id batches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_match(text: str, *columns: Any) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``text``, ignoring case."""
    pattern = f"%{_like_escape(text.strip())}%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def region_match(code: str, column: Any) -> ColumnElement[bool]:
    """``column`` is the region ``code`` or lies inside it (``32`` holds ``32.73``)."""
    return or_(column == code, column.like(f"{code}.%"))


def contains_token(token: str, column: Any) -> ColumnElement[bool]:
    """``column`` holds ``,a,b,`` and ``token`` is one of its items."""
    result: ColumnElement[bool] = column.like(f"%,{_like_escape(token)},%", escape="\\")
    return result
