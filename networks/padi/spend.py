"""BUMN spend with UMKM: 24 seeded months plus the purchase orders placed on PaDi."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from networks.padi import tables
from networks.padi.errors import INVALID_INPUT, PadiError
from networks.padi.records import SpendReport, SpendRow

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class SpendFilter:
    bumn_id: str | None = None
    region_code: str | None = None
    scale: str | None = None
    month_from: str | None = None
    month_to: str | None = None


def _check_months(flt: SpendFilter) -> None:
    for name, value in (("monthFrom", flt.month_from), ("monthTo", flt.month_to)):
        if value is not None and not _MONTH.match(value):
            raise PadiError(
                INVALID_INPUT,
                f"{name} must look like 2025-01",
                [{"field": name, "problem": "YYYY-MM"}],
            )


async def spend(session: AsyncSession, flt: SpendFilter, group_by: str) -> SpendReport:
    """Spend summed per ``group_by`` key (REGION, SCALE, MONTH or BUMN)."""
    _check_months(flt)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, amount, orders in await _seeded(session, flt, group_by):
        totals[key][0] += int(amount)
        totals[key][1] += int(orders)
    for key, amount, orders in await _ordered(session, flt, group_by):
        totals[key][0] += int(amount)
        totals[key][1] += int(orders)
    rows = [SpendRow(key=k, amount=v[0], order_count=v[1]) for k, v in totals.items()]
    if group_by == "MONTH":
        rows.sort(key=lambda row: row.key)
    else:
        rows.sort(key=lambda row: (-row.amount, row.key))
    return SpendReport(
        group_by=group_by,
        rows=rows,
        total=sum(r.amount for r in rows),
        order_count=sum(r.order_count for r in rows),
    )


async def _seeded(session: AsyncSession, flt: SpendFilter, group_by: str) -> list[Any]:
    s = tables.spend_records.c
    key = {"REGION": s.region_code, "SCALE": s.scale, "MONTH": s.month, "BUMN": s.bumn_id}[group_by]
    query = select(key, func.sum(s.amount), func.sum(s.order_count)).group_by(key)
    if flt.bumn_id:
        query = query.where(s.bumn_id == flt.bumn_id)
    if flt.region_code:
        query = query.where(s.region_code == flt.region_code)
    if flt.scale:
        query = query.where(s.scale == flt.scale)
    if flt.month_from:
        query = query.where(s.month >= flt.month_from)
    if flt.month_to:
        query = query.where(s.month <= flt.month_to)
    return list((await session.execute(query)).all())


async def _ordered(session: AsyncSession, flt: SpendFilter, group_by: str) -> list[Any]:
    po = tables.purchase_orders.c
    line = tables.purchase_order_lines.c
    umkm = tables.umkms.c
    month = func.substr(po.created_at, 1, 7)
    buyer = func.coalesce(po.bumn_id, po.buyer_organization_id)
    key = {"REGION": po.delivery_region_code, "SCALE": umkm.scale, "MONTH": month, "BUMN": buyer}[
        group_by
    ]
    query = (
        select(key, func.sum(line.quantity * line.unit_price), func.count(func.distinct(po.id)))
        .select_from(
            tables.purchase_order_lines.join(tables.purchase_orders, line.order_id == po.id).join(
                tables.umkms, line.umkm_id == umkm.id
            )
        )
        .where(po.status != "CANCELLED")
        .group_by(key)
    )
    if flt.bumn_id:
        query = query.where(buyer == flt.bumn_id)
    if flt.region_code:
        query = query.where(po.delivery_region_code == flt.region_code)
    if flt.scale:
        query = query.where(umkm.scale == flt.scale)
    if flt.month_from:
        query = query.where(month >= flt.month_from)
    if flt.month_to:
        query = query.where(month <= flt.month_to)
    return list((await session.execute(query)).all())
