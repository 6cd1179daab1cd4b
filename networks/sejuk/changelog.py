"""The append-only product change log that ``/api/v1/perubahan/produk`` pages over."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from networks.sejuk.tables import perubahan_produk, produk
from networks.sejuk.views import dump, produk_view


def snapshot(row: Any) -> dict[str, Any]:
    """The product as the feed shows it."""
    data: dict[str, Any] = dump(produk_view(row))
    return data


async def record_changes(session: AsyncSession, produk_ids: Iterable[int]) -> None:
    """Append one ``ubah`` entry per product, with the product as it now is."""
    ids = sorted(set(produk_ids))
    if not ids:
        return
    rows = (await session.execute(select(produk).where(produk.c.id.in_(ids)))).mappings()
    by_id = {row["id"]: snapshot(row) for row in rows}
    await session.execute(
        insert(perubahan_produk),
        [{"produk_id": i, "jenis": "ubah", "produk": by_id[i]} for i in ids],
    )


async def record_deletion(session: AsyncSession, produk_id: int) -> None:
    """Append a ``hapus`` entry: the product is gone from the catalogue."""
    await session.execute(
        insert(perubahan_produk).values(produk_id=produk_id, jenis="hapus", produk=None)
    )
