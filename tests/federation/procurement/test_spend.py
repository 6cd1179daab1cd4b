"""Spend figures are the sums of the orders behind them: the hub's award orders (SEJUK,
through the saga) plus PaDi's own figures (which hold PaDi's award purchase orders)."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.padi.procurement import PadiProcurement
from federation.hub import Federation
from federation.orders.service import OrderService
from federation.procurement.model import (
    UMKM_SCALES,
    Award,
    Organisation,
    SpendFilter,
    SpendGroup,
)
from federation.procurement.service import ProcurementService
from tests.federation.procurement.support import (
    KERIPIK,
    QUANTITY,
    Clock,
    invited,
    listing_quote,
    local_supplier,
    priced_quote,
    rfq_draft,
    supplier,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

BUYER = Organisation.bumn("BUMN-SEMEN")


def period(clock: Clock) -> tuple[str, str]:
    """The 24 months up to the clock's month (UTC)."""
    today = dt.datetime.fromtimestamp(clock.now, dt.UTC).date()
    start = today.year * 12 + today.month - 1 - 23
    return f"{start // 12:04d}-{start % 12 + 1:02d}", today.strftime("%Y-%m")


async def padi_total(padi: PadiProcurement, first: str, last: str) -> int:
    rows = await padi.spend("BUMN", bumn_id="BUMN-SEMEN", month_from=first, month_to=last)
    return sum(r.amount for r in rows)


async def awarded(
    procurement: ProcurementService, federation: Federation, clock: Clock, network: str
) -> Award:
    rfq = await procurement.publish(BUYER, rfq_draft(clock, title=f"Keripik via {network}"))
    if network == "sejuk":
        local = await local_supplier(federation, rfq)
        quote = await procurement.submit_quote(
            supplier(local), await listing_quote(federation, rfq, local)
        )
    else:
        remote = invited(rfq, "padi")[0]
        quote = await procurement.submit_quote(
            supplier(remote), priced_quote(rfq, "padi", unit_price=12_345)
        )
    return await procurement.award(BUYER, rfq.id, quote.id)


async def test_spend_is_the_sum_of_the_orders_behind_it(
    procurement: ProcurementService, federation: Federation, orders: OrderService, clock: Clock
) -> None:
    padi = procurement.padi
    assert padi is not None
    first, last = period(clock)
    padi_before = await padi_total(padi, first, last)

    hub_award = await awarded(procurement, federation, clock, "sejuk")
    padi_award = await awarded(procurement, federation, clock, "padi")

    assert hub_award.order_id is not None
    hub_order = await orders.get(hub_award.order_id)
    (padi_po,) = padi_award.native_orders
    assert padi_po.total == 12_345 * QUANTITY
    padi_after = await padi_total(padi, first, last)
    assert padi_after == padi_before + padi_po.total

    reports = {
        group: await procurement.spend(BUYER, SpendFilter("BUMN-SEMEN", first, last, group))
        for group in SpendGroup
    }
    for group, report in reports.items():
        assert sum(r.amount for r in report.rows) == report.total, group
        assert report.hub_amount == sum(line.amount for line in hub_order.lines), group
        assert report.hub_amount == hub_order.total
        assert report.network_amount == padi_after, group
        assert report.total == hub_order.total + padi_after, group

    by_network = {r.key: r.amount for r in reports[SpendGroup.NETWORK].rows}
    assert by_network == {"sejuk": hub_order.total, "padi": padi_after}
    by_kbli = {r.key: r.amount for r in reports[SpendGroup.KBLI].rows}
    assert by_kbli == {KERIPIK: hub_order.total, "unreported": padi_after}
    this_month = {r.key: r.amount for r in reports[SpendGroup.MONTH].rows}[last]
    assert this_month >= hub_order.total + padi_po.total
    months = [r.key for r in reports[SpendGroup.MONTH].rows]
    assert months == sorted(months)
    assert all(first <= m <= last for m in months)
    assert hub_order.delivery_region_code in {r.key for r in reports[SpendGroup.REGION].rows}


async def test_umkm_share_counts_mikro_kecil_and_menengah(
    procurement: ProcurementService, clock: Clock
) -> None:
    first, last = period(clock)
    report = await procurement.spend(
        BUYER, SpendFilter("BUMN-SEMEN", first, last, SpendGroup.SCALE)
    )

    umkm = sum(r.amount for r in report.rows if r.key in UMKM_SCALES)
    assert report.umkm_amount == umkm
    assert 0.0 < report.umkm_share < 1.0
    assert report.umkm_share == umkm / report.total
    assert {r.key for r in report.rows} <= {"mikro", "kecil", "menengah", "besar"}
    for group in (SpendGroup.MONTH, SpendGroup.REGION, SpendGroup.NETWORK, SpendGroup.KBLI):
        other = await procurement.spend(BUYER, SpendFilter("BUMN-SEMEN", first, last, group))
        assert other.umkm_amount == report.umkm_amount
        # Every group's UMKM part, PaDi's months and regions included, adds up to it.
        assert sum(r.umkm_amount for r in other.rows) == report.umkm_amount, group
        assert all(0 <= r.umkm_amount <= r.amount for r in other.rows), group


async def test_a_period_without_orders_is_all_zero(procurement: ProcurementService) -> None:
    report = await procurement.spend(
        BUYER, SpendFilter("BUMN-SEMEN", "2019-01", "2019-12", SpendGroup.REGION)
    )
    assert (report.rows, report.total, report.order_count, report.umkm_share) == ((), 0, 0, 0.0)
