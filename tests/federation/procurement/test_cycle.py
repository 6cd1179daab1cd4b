"""The whole RFQ cycle across two networks: publish → invite → quote → award → order.

The RFQ goes to SEJUK suppliers through the hub's board and to PaDi suppliers as PaDi's
own RFQ; both quote; the award becomes a purchase order at the winner's network.
"""

from __future__ import annotations

import pytest

from connectors.padi.procurement import PadiProcurement
from connectors.records import OrderStatus
from federation.hub import Federation
from federation.orders.model import OrderState, SubOrderState
from federation.orders.service import OrderService
from federation.procurement.model import (
    AwardStatus,
    Organisation,
    QuoteStatus,
    RfqStatus,
)
from federation.procurement.service import ProcurementService, bumn_global_id
from tests.federation.procurement.support import (
    KERIPIK,
    QUANTITY,
    Clock,
    invited,
    listing_quote,
    local_supplier,
    orderable_product,
    priced_quote,
    rfq_draft,
    supplier,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

BUYER = Organisation.bumn("BUMN-PANGAN")


def padi_of(procurement: ProcurementService) -> PadiProcurement:
    assert procurement.padi is not None
    return procurement.padi


async def test_publish_invites_suppliers_on_both_networks_and_opens_padi_rfqs(
    procurement: ProcurementService, clock: Clock
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))

    assert rfq.status is RfqStatus.OPEN
    assert rfq.buyer_name == "PT Pangan Negeri (Persero)"
    assert invited(rfq, "sejuk")
    assert invited(rfq, "padi")
    assert all(i.region_code.startswith("32.") for i in rfq.invitations)
    # PaDi holds the item as its own RFQ, for this BUMN, open.
    native_id = rfq.items[0].native_rfq_id
    assert native_id is not None
    native = await padi_of(procurement).rfq(native_id)
    assert native is not None
    assert (native.bumn_id, native.status) == ("BUMN-PANGAN", "OPEN")
    assert await procurement.get(BUYER, rfq.id) == rfq


async def test_award_to_sejuk_supplier_places_the_order_at_sejuk_through_the_saga(
    procurement: ProcurementService, federation: Federation, orders: OrderService, clock: Clock
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    padi_supplier = invited(rfq, "padi")[0]
    sejuk_quote = await procurement.submit_quote(
        supplier(local), await listing_quote(federation, rfq, local)
    )
    padi_quote = await procurement.submit_quote(
        supplier(padi_supplier), priced_quote(rfq, "padi", unit_price=9_500)
    )
    product = await orderable_product(federation, local)
    assert product is not None
    assert sejuk_quote.lines[0].unit_price == product.price
    assert sejuk_quote.total == product.price * QUANTITY
    assert padi_quote.total == 9_500 * QUANTITY
    assert padi_quote.lines[0].native_quote_id is not None

    quotes = await procurement.quotes(BUYER, rfq.id)
    assert {q.id for q in quotes} == {sejuk_quote.id, padi_quote.id}

    award = await procurement.award(BUYER, rfq.id, sejuk_quote.id)

    assert award.status is AwardStatus.ISSUED
    assert (award.network, award.total) == ("sejuk", sejuk_quote.total)
    assert award.order_id is not None
    order = await orders.get(award.order_id)
    assert order.status is OrderState.CONFIRMED
    assert order.buyer_id == bumn_global_id("BUMN-PANGAN")
    assert order.buyer_name == "PT Pangan Negeri (Persero)"
    assert order.delivery_region_code == "32.73"
    assert [(x.network, x.product_id, x.quantity) for x in order.lines] == [
        ("sejuk", product.id, QUANTITY)
    ]
    assert order.total == sejuk_quote.total
    (sub,) = order.sub_orders
    assert sub.state is SubOrderState.PLACED
    assert sub.native_id is not None
    at_sejuk = await federation.by_code["sejuk"].get_order(sub.native_id)
    assert at_sejuk is not None
    assert at_sejuk.total == sejuk_quote.total
    assert at_sejuk.status is not OrderStatus.CANCELLED

    after = await procurement.get(BUYER, rfq.id)
    assert after.status is RfqStatus.AWARDED
    statuses = {q.id: q.status for q in await procurement.quotes(BUYER, rfq.id)}
    assert statuses == {sejuk_quote.id: QuoteStatus.AWARDED, padi_quote.id: QuoteStatus.REJECTED}


async def test_award_to_padi_supplier_is_padis_own_award_and_purchase_order(
    procurement: ProcurementService, federation: Federation, clock: Clock
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock, title="Keripik untuk kantor"))
    local = await local_supplier(federation, rfq)
    padi_supplier = invited(rfq, "padi")[0]
    await procurement.submit_quote(supplier(local), await listing_quote(federation, rfq, local))
    padi_quote = await procurement.submit_quote(
        supplier(padi_supplier), priced_quote(rfq, "padi", unit_price=8_750, delivery_days=3)
    )

    award = await procurement.award(BUYER, rfq.id, padi_quote.id)

    assert award.status is AwardStatus.ISSUED
    assert award.order_id is None
    (po,) = award.native_orders
    assert (po.network, po.total) == ("padi", 8_750 * QUANTITY)
    padi = padi_of(procurement)
    native_rfq = rfq.items[0].native_rfq_id
    assert native_rfq is not None
    native = await padi.rfq(native_rfq)
    assert native is not None
    assert native.status == "AWARDED"
    assert native.awarded_quotation_id == padi_quote.lines[0].native_quote_id
    assert await padi.awarded_order(native_rfq) is not None
    order = await federation.by_code["padi"].get_order(po.order_id)
    assert order is not None
    assert order.total == 8_750 * QUANTITY
    assert [(x.quantity, x.unit_price) for x in order.lines] == [(QUANTITY, 8_750)]


async def test_small_preference_invites_only_mikro_and_kecil(
    procurement: ProcurementService, clock: Clock
) -> None:
    everyone = await procurement.publish(BUYER, rfq_draft(clock))
    small = await procurement.publish(BUYER, rfq_draft(clock, prefer_small=True))

    assert {i.scale.value for i in small.invitations} <= {"mikro", "kecil"}
    assert {(i.nib, i.network) for i in small.invitations} == {
        (i.nib, i.network) for i in everyone.invitations if i.scale.value in {"mikro", "kecil"}
    }
    assert small.items[0].kbli == KERIPIK
