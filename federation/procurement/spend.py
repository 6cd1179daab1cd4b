"""A BUMN's spend with UMKM: the hub's own award orders plus PaDi's spend figures.

The two never overlap: the hub places orders through its saga only on SEJUK and
Tangerang, and PaDi's purchase orders (its own ``awardRfq``, and everything bought on
PaDi outside the hub) are in PaDi's figures. The hub's part counts orders a network
confirmed (CONFIRMED, SHIPPED, DELIVERED), by the month they were made (UTC), each line's
amount under its group; so every figure is exactly the sum of the order lines behind it.
PaDi groups by MONTH, REGION and SCALE itself (the UMKM part of a MONTH or REGION row is
that row less the same grouping over large suppliers only); it has no KBLI breakdown, so
under KBLI its whole amount is one row, ``unreported``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.padi.procurement import PadiProcurement, PadiSpendRow
from connectors.records import Scale
from federation.errors import InputError
from federation.orders.model import OrderState
from federation.orders.tables import order_lines, orders
from federation.procurement.model import (
    UMKM_SCALES,
    SpendFilter,
    SpendGroup,
    SpendReport,
    SpendRow,
)
from federation.procurement.tables import awards, rfq_items

MAX_MONTHS = 36  # the reference networks keep three years of history
UNREPORTED = "unreported"
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
COUNTED = (OrderState.CONFIRMED, OrderState.SHIPPED, OrderState.DELIVERED)


@dataclass(frozen=True)
class _Line:
    """One order line behind the hub's part: its order and every key it may group under."""

    order_id: str
    amount: int
    keys: dict[SpendGroup, str]
    scale: Scale


def months(flt: SpendFilter) -> tuple[dt.date, dt.date]:
    """The first day of the first month and of the month after the last; InputError for
    a malformed, inverted or too long period."""
    bounds: list[dt.date] = []
    for name, value in (("from", flt.first_month), ("to", flt.last_month)):
        match = MONTH.fullmatch(value)
        if match is None:
            raise InputError(f"period `{name}` must be a month like 2025-01, not {value!r}")
        bounds.append(dt.date(int(match[1]), int(match[2]), 1))
    first, last = bounds
    if last < first:
        raise InputError(
            f"the period runs backwards ({flt.first_month} to {flt.last_month}): swap them"
        )
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count > MAX_MONTHS:
        raise InputError(f"the period spans {count} months; ask for at most {MAX_MONTHS} at a time")
    after = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return first, after


async def spend_report(engine: AsyncEngine, padi: PadiProcurement, flt: SpendFilter) -> SpendReport:
    """``flt.buyer``'s spend in the period, grouped by ``flt.group_by``."""
    first, after = months(flt)
    hub_lines, (padi_rows, padi_scales, padi_large) = await asyncio.gather(
        _hub_lines(engine, flt.buyer, first, after), _padi(padi, flt)
    )
    amounts: defaultdict[str, int] = defaultdict(int)
    umkm_amounts: defaultdict[str, int] = defaultdict(int)
    order_sets: defaultdict[str, set[str]] = defaultdict(set)
    for line in hub_lines:
        key = line.keys[flt.group_by]
        amounts[key] += line.amount
        order_sets[key].add(line.order_id)
        if line.scale in UMKM_SCALES:
            umkm_amounts[key] += line.amount
    counts: defaultdict[str, int] = defaultdict(int)
    for key, ids in order_sets.items():
        counts[key] += len(ids)
    padi_umkm = sum(row.amount for row in padi_scales if row.key.lower() in UMKM_SCALES)
    for row in padi_rows:
        amounts[row.key] += row.amount
        counts[row.key] += row.order_count
        umkm_amounts[row.key] += _padi_umkm(flt.group_by, row, padi_umkm, padi_large)
    rows = [SpendRow(key, amounts[key], counts[key], umkm_amounts[key]) for key in amounts]
    if flt.group_by is SpendGroup.MONTH:
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: (-r.amount, r.key))
    hub_amount = sum(line.amount for line in hub_lines)
    network_amount = sum(row.amount for row in padi_rows)
    umkm = sum(x.amount for x in hub_lines if x.scale in UMKM_SCALES) + padi_umkm
    return SpendReport(
        filter=flt,
        rows=tuple(rows),
        total=hub_amount + network_amount,
        order_count=len({x.order_id for x in hub_lines}) + sum(r.order_count for r in padi_rows),
        umkm_amount=umkm,
        hub_amount=hub_amount,
        network_amount=network_amount,
    )


def _padi_umkm(group: SpendGroup, row: PadiSpendRow, padi_umkm: int, large: dict[str, int]) -> int:
    """The UMKM part of one of PaDi's rows: by its key under SCALE; all of PaDi's UMKM
    spend for its single NETWORK or KBLI row; by MONTH or REGION, the row less its spend
    with large suppliers."""
    if group is SpendGroup.SCALE:
        return row.amount if row.key in UMKM_SCALES else 0
    if group in (SpendGroup.NETWORK, SpendGroup.KBLI):
        return padi_umkm
    return row.amount - large.get(row.key, 0)


async def _hub_lines(
    engine: AsyncEngine, buyer: str, first: dt.date, after: dt.date
) -> list[_Line]:
    start = dt.datetime.combine(first, dt.time(), dt.UTC).timestamp()
    end = dt.datetime.combine(after, dt.time(), dt.UTC).timestamp()
    query = (
        select(
            orders.c.id,
            orders.c.created_at,
            orders.c.delivery_region_code,
            order_lines.c.network,
            order_lines.c.amount,
            awards.c.scale,
            rfq_items.c.kbli,
        )
        .select_from(
            awards.join(orders, orders.c.id == awards.c.order_id)
            .join(order_lines, order_lines.c.order_id == orders.c.id)
            .join(
                rfq_items,
                (rfq_items.c.rfq_id == awards.c.rfq_id)
                & (rfq_items.c.position == order_lines.c.position),
            )
        )
        .where(
            awards.c.buyer_id == buyer,
            orders.c.status.in_(COUNTED),
            orders.c.created_at >= start,
            orders.c.created_at < end,
        )
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    lines: list[_Line] = []
    for row in rows:
        month = dt.datetime.fromtimestamp(row.created_at, dt.UTC).strftime("%Y-%m")
        scale = Scale(row.scale)
        keys = {
            SpendGroup.MONTH: month,
            SpendGroup.REGION: row.delivery_region_code,
            SpendGroup.SCALE: scale.value,
            SpendGroup.KBLI: row.kbli,
            SpendGroup.NETWORK: row.network,
        }
        lines.append(_Line(row.id, int(row.amount), keys, scale))
    return lines


async def _padi(
    padi: PadiProcurement, flt: SpendFilter
) -> tuple[list[PadiSpendRow], list[PadiSpendRow], dict[str, int]]:
    """PaDi's rows under the hub's grouping, its figures by scale (for the UMKM share),
    and by MONTH or REGION the same rows over large suppliers only."""
    by_scale = [
        PadiSpendRow(r.key.lower(), r.amount, r.order_count)
        for r in await padi.spend(
            "SCALE", bumn_id=flt.buyer, month_from=flt.first_month, month_to=flt.last_month
        )
    ]
    group = flt.group_by
    if group is SpendGroup.SCALE:
        return by_scale, by_scale, {}
    if group in (SpendGroup.MONTH, SpendGroup.REGION):
        native: Literal["MONTH", "REGION"] = "MONTH" if group is SpendGroup.MONTH else "REGION"
        rows, large = await asyncio.gather(
            *(
                padi.spend(
                    native,
                    bumn_id=flt.buyer,
                    month_from=flt.first_month,
                    month_to=flt.last_month,
                    scale=scale,
                )
                for scale in (None, Scale.BESAR)
            )
        )
        return rows, by_scale, {r.key: r.amount for r in large}
    total = sum(r.amount for r in by_scale)
    if not total:
        return [], by_scale, {}
    key = padi.network if group is SpendGroup.NETWORK else UNREPORTED
    return [PadiSpendRow(key, total, sum(r.order_count for r in by_scale))], by_scale, {}
