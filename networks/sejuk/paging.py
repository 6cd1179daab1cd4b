"""``halaman`` / ``per_halaman`` paging: limits, offsets and the page envelope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from networks.sejuk.errors import galat
from networks.sejuk.schemas import HalamanQuery


def check_page_size(query: HalamanQuery, max_page_size: int) -> None:
    """400 when a page larger than the network allows is asked for."""
    if query.per_halaman > max_page_size:
        raise galat(
            400,
            "UKURAN_HALAMAN_TERLALU_BESAR",
            f"per_halaman paling banyak {max_page_size}",
            [{"kolom": "per_halaman", "masalah": f"maksimal {max_page_size}"}],
        )


def total_pages(total: int, per_page: int) -> int:
    return (total + per_page - 1) // per_page


async def fetch_page(
    session: AsyncSession, statement: Select[Any], query: HalamanQuery
) -> tuple[list[Any], int]:
    """The rows of the requested page of ``statement`` (already ordered) and the total."""
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    offset = (query.halaman - 1) * query.per_halaman
    rows = (await session.execute(statement.limit(query.per_halaman).offset(offset))).all()
    return list(rows), int(total or 0)


def envelope(data: list[Any], query: HalamanQuery, total: int) -> dict[str, Any]:
    """The fields every SEJUK page carries besides its data."""
    return {
        "data": data,
        "halaman": query.halaman,
        "per_halaman": query.per_halaman,
        "total": total,
        "total_halaman": total_pages(total, query.per_halaman),
    }
