"""PaDi's own procurement, as the hub's OAuth client: RFQs, quotations, awards, spend.

PaDi RFQs carry one KBLI and one quantity, so the hub publishes one PaDi RFQ per item of
its own RFQs. ``awardRfq`` creates PaDi's purchase order itself (with the quoted price,
which ``createPurchaseOrder`` cannot carry). Awarding is made safe to repeat here: an RFQ
already awarded to the same quotation answers the purchase order it made.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import TypeAdapter

from connectors.padi.graphql import GraphQLClient, PadiRejected
from connectors.padi.native import Answer, Native, NativePage, NativePurchaseOrder
from connectors.padi.orders import ORDER_FIELDS
from connectors.records import OrderRecord, Scale

SpendGroup = Literal["REGION", "SCALE", "MONTH", "BUMN"]

RFQ_FIELDS = "id bumnId title kbli regionCode quantity unit deadline status awardedQuotationId"
QUOTATION_FIELDS = "id rfqId umkmId unitPrice quantity amount deliveryDays status"
PUBLISH = (
    f"mutation($input: PublishRfqInput!) {{ result: publishRfq(input: $input) {{ {RFQ_FIELDS} }} }}"
)
SUBMIT = (
    "mutation($input: SubmitQuotationInput!) "
    f"{{ result: submitQuotation(input: $input) {{ {QUOTATION_FIELDS} }} }}"
)
AWARD = (
    "mutation($rfq: ID!, $quotation: ID!) "
    f"{{ result: awardRfq(rfqId: $rfq, quotationId: $quotation) {{ {ORDER_FIELDS} rfqId }} }}"
)
RFQ = f"query($id: ID!) {{ result: rfq(id: $id) {{ {RFQ_FIELDS} }} }}"
QUOTATIONS = f"query($rfq: ID!) {{ result: quotations(rfqId: $rfq) {{ {QUOTATION_FIELDS} }} }}"
ORDERS_PAGE = (
    "query($page: Int!) { result: purchaseOrders(page: $page, size: 100) "
    f"{{ total items {{ {ORDER_FIELDS} rfqId }} }} }}"
)
BUMNS = "{ result: bumns { id name sector regionCode } }"
SPEND = (
    "query($filter: SpendFilter!, $by: SpendGroupBy!) "
    "{ result: spend(groupBy: $by, filter: $filter) { total orderCount rows { key amount orderCount } } }"
)
MAX_ORDER_PAGES = 50  # a recovery scan of the hub's own purchase orders: 5,000 orders


class _Rfq(Native):
    id: str
    bumn_id: str
    title: str
    kbli: str
    region_code: str | None
    quantity: int
    unit: str
    deadline: str
    status: str
    awarded_quotation_id: str | None


class _Quotation(Native):
    id: str
    rfq_id: str
    umkm_id: str
    unit_price: int
    quantity: int
    amount: int
    delivery_days: int
    status: str


class _AwardedOrder(NativePurchaseOrder):
    rfq_id: str | None


class _Bumn(Native):
    id: str
    name: str
    sector: str
    region_code: str


class _SpendRow(Native):
    key: str
    amount: int
    order_count: int


class _Spend(Native):
    total: int
    order_count: int
    rows: list[_SpendRow]


_RFQ = TypeAdapter(Answer[_Rfq])
_MAYBE_RFQ = TypeAdapter(Answer[_Rfq | None])
_QUOTATION = TypeAdapter(Answer[_Quotation])
_QUOTATIONS = TypeAdapter(Answer[list[_Quotation]])
_AWARD = TypeAdapter(Answer[_AwardedOrder])
_ORDERS = TypeAdapter(Answer[NativePage[_AwardedOrder]])
_BUMNS = TypeAdapter(Answer[list[_Bumn]])
_SPEND = TypeAdapter(Answer[_Spend])


@dataclass(frozen=True)
class PadiRfq:
    id: str  # RFQ-000007
    bumn_id: str
    status: str  # OPEN | AWARDED
    awarded_quotation_id: str | None


@dataclass(frozen=True)
class PadiQuotation:
    id: str  # QUO-000003
    rfq_id: str
    umkm_id: str
    unit_price: int
    quantity: int
    amount: int
    delivery_days: int
    status: str  # SUBMITTED | AWARDED | REJECTED


@dataclass(frozen=True)
class PadiBumn:
    """A BUMN buying on PaDi: its PaDi id (``BUMN-PANGAN``), name, sector and region."""

    id: str
    name: str
    region_code: str
    sector: str


@dataclass(frozen=True)
class PadiSpendRow:
    key: str
    amount: int
    order_count: int


class PadiProcurement:
    """RFQs, quotations, awards and BUMN spend on PaDi, through the connector's client."""

    def __init__(self, graphql: GraphQLClient, clock: Callable[[], float] = time.monotonic) -> None:
        self.network = graphql.network
        self._graphql = graphql
        self._clock = clock
        self._bumns: tuple[float, tuple[PadiBumn, ...]] | None = None
        self._bumns_lock: asyncio.Lock | None = None

    async def bumns(self, *, max_age: float = 0.0) -> list[PadiBumn]:
        """Every BUMN buying on PaDi, by id.

        ``max_age`` > 0 accepts the list read at most that many seconds ago: BUMN join
        PaDi rarely, and a page of ``node`` lookups or viewers then asks PaDi once. Callers
        waiting together share one request.
        """
        if self._bumns_lock is None:
            self._bumns_lock = asyncio.Lock()
        async with self._bumns_lock:
            cached = self._bumns
            if cached is not None and max_age > 0 and self._clock() - cached[0] <= max_age:
                return list(cached[1])
            answer = await self._graphql.execute(BUMNS, {}, _BUMNS)
            found = tuple(
                PadiBumn(b.id, b.name, b.region_code, b.sector)
                for b in sorted(answer.result, key=lambda b: b.id)
            )
            self._bumns = (self._clock(), found)
            return list(found)

    async def publish_rfq(
        self,
        *,
        bumn_id: str,
        title: str,
        description: str,
        kbli: str,
        quantity: int,
        unit: str,
        deadline: dt.date,
        region_code: str | None,
        client_reference: str | None = None,
    ) -> PadiRfq:
        """``publishRfq``: a new OPEN RFQ for ``bumn_id``; or, sent again with the same
        ``client_reference``, the one that reference already opened."""
        variables = {
            "input": {
                "clientReference": client_reference,
                "bumnId": bumn_id,
                "title": title,
                "description": description,
                "kbli": kbli,
                "quantity": quantity,
                "unit": unit,
                "deadline": deadline.isoformat(),
                "regionCode": region_code,
            }
        }
        answer = await self._graphql.execute(PUBLISH, variables, _RFQ)
        return _rfq(answer.result)

    async def rfq(self, rfq_id: str) -> PadiRfq | None:
        answer = await self._graphql.execute(RFQ, {"id": rfq_id}, _MAYBE_RFQ)
        return None if answer.result is None else _rfq(answer.result)

    async def quotations(self, rfq_id: str) -> list[PadiQuotation]:
        """Every quotation on ``rfq_id``, oldest first."""
        answer = await self._graphql.execute(QUOTATIONS, {"rfq": rfq_id}, _QUOTATIONS)
        return [_quotation(q) for q in answer.result]

    async def submit_quotation(
        self,
        *,
        rfq_id: str,
        umkm_id: str,
        unit_price: int,
        quantity: int,
        delivery_days: int,
        note: str,
    ) -> PadiQuotation:
        """``submitQuotation``; a repeat with the same terms answers the quotation already
        there (PaDi takes one per UMKM and RFQ), different terms are refused (409)."""
        variables = {
            "input": {
                "rfqId": rfq_id,
                "umkmId": umkm_id,
                "unitPrice": unit_price,
                "quantity": quantity,
                "deliveryDays": delivery_days,
                "note": note,
            }
        }
        try:
            answer = await self._graphql.execute(SUBMIT, variables, _QUOTATION)
        except PadiRejected as error:
            if error.code != "INVALID_STATE":
                raise
            existing = [q for q in await self.quotations(rfq_id) if q.umkm_id == umkm_id]
            if existing and (existing[0].unit_price, existing[0].quantity) == (
                unit_price,
                quantity,
            ):
                return existing[0]
            raise
        return _quotation(answer.result)

    async def award(self, rfq_id: str, quotation_id: str) -> OrderRecord:
        """``awardRfq``: PaDi's purchase order for the quotation. Repeating it after an
        award to the same quotation answers that award's order; another quotation's award
        is a 409."""
        try:
            answer = await self._graphql.execute(
                AWARD, {"rfq": rfq_id, "quotation": quotation_id}, _AWARD
            )
        except PadiRejected as error:
            if error.code != "INVALID_STATE":
                raise
            current = await self.rfq(rfq_id)
            if current is None or current.awarded_quotation_id != quotation_id:
                raise
            found = await self.awarded_order(rfq_id)
            if found is None:
                raise
            return found
        return answer.result.record(self.network)

    async def awarded_order(self, rfq_id: str) -> OrderRecord | None:
        """The purchase order PaDi made when ``rfq_id`` was awarded by this client."""
        for page in range(1, MAX_ORDER_PAGES + 1):
            answer = await self._graphql.execute(ORDERS_PAGE, {"page": page}, _ORDERS)
            for order in answer.result.items:
                if order.rfq_id == rfq_id:
                    return order.record(self.network)
            if page * 100 >= answer.result.total:
                return None
        return None

    async def spend(
        self,
        group_by: SpendGroup,
        *,
        bumn_id: str,
        month_from: str,
        month_to: str,
        scale: Scale | None = None,
    ) -> list[PadiSpendRow]:
        """PaDi's spend figures for ``bumn_id`` in ``[month_from, month_to]`` (YYYY-MM),
        with suppliers of one ``scale`` only when given."""
        flt: dict[str, str] = {"bumnId": bumn_id, "monthFrom": month_from, "monthTo": month_to}
        if scale is not None:
            flt["scale"] = scale.name  # PaDi's enum: MIKRO, KECIL, MENENGAH, BESAR
        variables = {"by": group_by, "filter": flt}
        answer = await self._graphql.execute(SPEND, variables, _SPEND)
        return [PadiSpendRow(r.key, r.amount, r.order_count) for r in answer.result.rows]


def procurement_of(connector: object) -> PadiProcurement | None:
    """A PaDi connector's procurement (``PadiConnector.procurement``); None for other kinds."""
    found = getattr(connector, "procurement", None)
    return found if isinstance(found, PadiProcurement) else None


def _rfq(native: _Rfq) -> PadiRfq:
    return PadiRfq(native.id, native.bumn_id, native.status, native.awarded_quotation_id)


def _quotation(native: _Quotation) -> PadiQuotation:
    return PadiQuotation(
        id=native.id,
        rfq_id=native.rfq_id,
        umkm_id=native.umkm_id,
        unit_price=native.unit_price,
        quantity=native.quantity,
        amount=native.amount,
        delivery_days=native.delivery_days,
        status=native.status,
    )
