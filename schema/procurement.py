"""BUMN procurement: RFQs, quotes, awards and spend on UMKM.

An RFQ's OCDS export is a field (``Rfq.ocds``) rather than an HTTP route: it needs the
same token, scope and visibility as the RFQ itself, which the graph already checks, and
partner apps fetch it in the same request as the RFQ they are looking at. A BUMN's
releases in bulk, as OCDS publishers serve them, are ``GET /ocds/releases`` (``hub.ocds``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from federation.procurement import model
from resolvers import access, procurement
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema.common import Money, PageInfo, Region
from schema.connections import AFTER
from schema.networks import Network
from schema.node import Node
from schema.orders import Order
from schema.suppliers import Scale


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


@strawberry.enum(description="Where an RFQ stands.")
class RfqStatus(Enum):
    OPEN = "OPEN"
    AWARDED = "AWARDED"


@strawberry.enum(description="Where a quote stands.")
class QuoteStatus(Enum):
    SUBMITTED = "SUBMITTED"
    AWARDED = "AWARDED"
    REJECTED = "REJECTED"


@strawberry.enum(description="Where an award's purchase order stands.")
class AwardStatus(Enum):
    ISSUING = "ISSUING"
    ISSUED = "ISSUED"
    FAILED = "FAILED"


@strawberry.enum(description="What spend is summed by.")
class SpendGroupBy(Enum):
    MONTH = "MONTH"
    REGION = "REGION"
    SCALE = "SCALE"
    KBLI = "KBLI"
    NETWORK = "NETWORK"


@strawberry.type(description="One thing an RFQ asks for.")
class RfqItem:
    position: int = strawberry.field(description="Its place in the RFQ, from 0.")
    description: str = strawberry.field(description="What is wanted, in words.")
    kbli: str = strawberry.field(description="KBLI 2020 code (five digits).")
    quantity: int = strawberry.field(description="How many units.")
    unit: str = strawberry.field(description="The unit: karung, pak, kg...")

    @classmethod
    def of(cls, item: model.RfqItem) -> RfqItem:
        return cls(
            position=item.position,
            description=item.description,
            kbli=item.kbli,
            quantity=item.quantity,
            unit=item.unit,
        )


@strawberry.type(description="A supplier asked to quote, on one network.")
class Invitation:
    supplier_id: strawberry.ID = strawberry.field(description="The Supplier's global ID.")
    nib: str = strawberry.field(description="The supplier's NIB.")
    name: str = strawberry.field(description="The supplier's name on that network.")
    network: Network = strawberry.field(description="Where it quotes and would be ordered from.")
    scale: Scale = strawberry.field(description="Its UMKM scale.")
    region: Region = strawberry.field(description="Where it is registered.")

    @classmethod
    def of(cls, invitation: model.Invitation) -> Invitation:
        return cls(
            supplier_id=strawberry.ID(to_global_id("Supplier", invitation.nib)),
            nib=invitation.nib,
            name=invitation.supplier_name,
            network=Network.of(invitation.network),
            scale=Scale(invitation.scale.value),
            region=Region.of(invitation.region_code),
        )


@strawberry.type(description="A supplier's price for one item of an RFQ.")
class QuoteLine:
    position: int = strawberry.field(description="The RFQ item it answers, from 0.")
    product_id: strawberry.ID | None = strawberry.field(
        description="The supplier's Product the order will be for (SEJUK, Tangerang)."
    )
    unit_price: Money = strawberry.field(description="Price per unit.")
    quantity: int = strawberry.field(description="Units: the item's quantity.")
    amount: Money = strawberry.field(description="quantity × unitPrice.")

    @classmethod
    def of(cls, line: model.QuoteLine, network: str) -> QuoteLine:
        product = to_global_id("Product", network, line.product_id) if line.product_id else None
        return cls(
            position=line.position,
            product_id=strawberry.ID(product) if product else None,
            unit_price=Money.rupiah(line.unit_price),
            quantity=line.quantity,
            amount=Money.rupiah(line.amount),
        )


@access.node_rule(access.PROCUREMENT_READ, access.Tenancy.OWNED)
@strawberry.type(description="A supplier's answer to an RFQ: a price for every item.")
class Quote(Node):
    rfq_id: strawberry.ID = strawberry.field(description="The RFQ's global ID.")
    supplier_id: strawberry.ID = strawberry.field(description="The Supplier's global ID.")
    nib: str = strawberry.field(description="The supplier's NIB.")
    supplier_name: str = strawberry.field(description="The supplier's name on its network.")
    network: Network = strawberry.field(description="Where the purchase order would go.")
    scale: Scale = strawberry.field(description="The supplier's UMKM scale.")
    delivery_days: int = strawberry.field(description="Days to deliver after the order.")
    note: str = strawberry.field(description="The supplier's remarks.")
    status: QuoteStatus = strawberry.field(description="Submitted, awarded or rejected.")
    total: Money = strawberry.field(description="Sum of the lines.")
    lines: list[QuoteLine] = strawberry.field(description="One per RFQ item.")
    created_at: datetime = strawberry.field(description="When it was submitted (UTC).")

    @classmethod
    def of(cls, seen: procurement.SeenQuote) -> Quote:
        quote = seen.quote
        return cls(
            id=strawberry.ID(procurement.quote_id(quote)),
            rfq_id=strawberry.ID(to_global_id("Rfq", quote.rfq_id)),
            supplier_id=strawberry.ID(to_global_id("Supplier", quote.nib)),
            nib=quote.nib,
            supplier_name=quote.supplier_name,
            network=Network.of(quote.network),
            scale=Scale(quote.scale.value),
            delivery_days=quote.delivery_days,
            note=quote.note,
            status=QuoteStatus(quote.status.value),
            total=Money.rupiah(quote.total),
            lines=[QuoteLine.of(line, quote.network) for line in quote.lines],
            created_at=_time(quote.created_at),
        )


@strawberry.type(description="A purchase order a network made itself (PaDi's own award).")
class PurchaseOrder:
    network: Network = strawberry.field(description="The network holding it.")
    order_id: str = strawberry.field(description="The network's own purchase order id.")
    position: int = strawberry.field(description="The RFQ item it is for, from 0.")
    total: Money = strawberry.field(description="Its amount.")


@strawberry.type(description="An RFQ's award to one quote, and the purchase order it issued.")
class Award:
    id: strawberry.ID = strawberry.field(description="The award's own id.")
    quote_id: strawberry.ID = strawberry.field(description="The winning Quote's global ID.")
    network: Network = strawberry.field(description="The winner's network: where the order is.")
    scale: Scale = strawberry.field(description="The winner's UMKM scale.")
    status: AwardStatus = strawberry.field(
        description="ISSUING while the order is placed, then ISSUED or FAILED."
    )
    total: Money = strawberry.field(description="What the purchase order is for.")
    created_at: datetime = strawberry.field(description="When it was awarded (UTC).")
    failure_reason: str | None = strawberry.field(description="Why the order FAILED.")
    purchase_orders: list[PurchaseOrder] = strawberry.field(
        description="PaDi's own purchase orders (one per item), when the winner is on PaDi."
    )
    record: strawberry.Private[model.Award]
    seen: strawberry.Private[procurement.SeenRfq]

    @classmethod
    def of(cls, award: model.Award, seen: procurement.SeenRfq) -> Award:
        return cls(
            id=strawberry.ID(award.id),
            quote_id=strawberry.ID(to_global_id("Quote", award.rfq_id, award.quote_id)),
            network=Network.of(award.network),
            scale=Scale(award.scale.value),
            status=AwardStatus(award.status.value),
            total=Money.rupiah(award.total),
            created_at=_time(award.created_at),
            failure_reason=award.failure_reason,
            purchase_orders=[
                PurchaseOrder(
                    network=Network.of(o.network),
                    order_id=o.order_id,
                    position=o.position,
                    total=Money.rupiah(o.total),
                )
                for o in award.native_orders
            ],
            record=award,
            seen=seen,
        )

    @strawberry.field(description="The RFQ awarded.")
    def rfq(self) -> Rfq:
        return Rfq.of(self.seen)

    @strawberry.field(description="The winning quote.")
    async def quote(self, info: Info[Context, None]) -> Quote | None:
        found = await procurement.quotes(info.context, self.seen)
        return next((Quote.of(q) for q in found if q.quote.id == self.record.quote_id), None)

    @strawberry.field(
        description="The hub's order placed through the saga (SEJUK, Tangerang winners)."
    )
    async def order(self, info: Info[Context, None]) -> Order | None:
        found = await procurement.award_order(info.context, self.record)
        return Order.of(found) if found is not None else None


@access.node_rule(access.PROCUREMENT_READ, access.Tenancy.OWNED)
@strawberry.type(
    description="A BUMN's request for quotation, seen by its buyer and invited suppliers."
)
class Rfq(Node):
    buyer_id: strawberry.ID = strawberry.field(description="The BUMN's organisation ID.")
    buyer_name: str = strawberry.field(description="The BUMN's name.")
    title: str = strawberry.field(description="What the RFQ is for.")
    description: str = strawberry.field(description="More about it.")
    delivery_region: Region = strawberry.field(description="Where the goods are delivered.")
    deadline: datetime = strawberry.field(description="Quotes are taken until then (UTC).")
    prefer_small: bool = strawberry.field(description="Reserved for usaha mikro and kecil.")
    status: RfqStatus = strawberry.field(description="OPEN or AWARDED.")
    created_at: datetime = strawberry.field(description="When it was published (UTC).")
    items: list[RfqItem] = strawberry.field(description="What is wanted.")
    invitations: list[Invitation] = strawberry.field(
        description="Suppliers asked to quote: all for the buyer, its own for a supplier."
    )
    seen: strawberry.Private[procurement.SeenRfq]

    @classmethod
    def of(cls, seen: procurement.SeenRfq) -> Rfq:
        rfq = seen.rfq
        return cls(
            id=strawberry.ID(procurement.rfq_id(rfq)),
            buyer_id=strawberry.ID(
                procurement.organisation_id(model.Organisation.bumn(rfq.buyer_id))
            ),
            buyer_name=rfq.buyer_name,
            title=rfq.title,
            description=rfq.description,
            delivery_region=Region.of(rfq.delivery_region_code),
            deadline=_time(rfq.deadline),
            prefer_small=rfq.prefer_small,
            status=RfqStatus(rfq.status.value),
            created_at=_time(rfq.created_at),
            items=[RfqItem.of(item) for item in rfq.items],
            invitations=[Invitation.of(i) for i in rfq.invitations],
            seen=seen,
        )

    @strawberry.field(description="Its quotes: every one for the buyer, its own for a supplier.")
    async def quotes(self, info: Info[Context, None]) -> list[Quote]:
        return [Quote.of(q) for q in await procurement.quotes(info.context, self.seen)]

    @strawberry.field(description="How many of its quotes the caller may see.")
    async def quote_count(self, info: Info[Context, None]) -> int:
        return len(await procurement.quotes(info.context, self.seen))

    @strawberry.field(description="Its award: for the buyer and the winner; null before then.")
    async def award(self, info: Info[Context, None]) -> Award | None:
        found = await procurement.award(info.context, self.seen)
        return Award.of(found, self.seen) if found is not None else None

    @strawberry.field(
        description="Its contracting process in OCDS 1.1: every release (one per stage, "
        "never changed once published) and the record compiled from them. Its buyer's only."
    )
    async def ocds(self, info: Info[Context, None]) -> OcdsExport:
        return OcdsExport.of(await procurement.ocds_export(info.context, self.seen))

    @strawberry.field(
        description="The RFQ's OCDS 1.1 release package: its buyer's only.",
        deprecation_reason="Use `ocds { releasePackage }` (and `ocds { recordPackage }` for "
        "the compiled record).",
    )
    async def ocds_release_package(self, info: Info[Context, None]) -> JSON:
        return JSON(await procurement.ocds_package(info.context, self.seen))


@strawberry.type(
    description="An RFQ's contracting process in the Open Contracting Data Standard 1.1. "
    "Each stage (tender, award, contract, delivery) is its own release with its own `id` "
    "and `date`, and never changes once published; `GET /ocds/releases` publishes a "
    "BUMN's releases in bulk."
)
class OcdsExport:
    ocid: str = strawberry.field(description="The contracting process's OCDS id.")
    release_package: JSON = strawberry.field(
        description="Every release of the process, oldest first, in a release package."
    )
    record_package: JSON = strawberry.field(
        description="The process's record in a record package: its releases and the "
        "compiled release (merged by OCDS's rules, in date order)."
    )

    @classmethod
    def of(cls, found: procurement.OcdsExport) -> OcdsExport:
        return cls(
            ocid=found.ocid,
            release_package=JSON(found.release_package),
            record_package=JSON(found.record_package),
        )


@strawberry.type(description="An RFQ in a page, with its cursor.")
class RfqEdge:
    node: Rfq = strawberry.field(description="The RFQ.")
    cursor: str = strawberry.field(description="Pass as `after` to continue right after it.")


@strawberry.type(description="A page of RFQs, newest first.")
class RfqConnection:
    edges: list[RfqEdge] = strawberry.field(description="The RFQs.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")

    @classmethod
    def of(cls, page: procurement.RfqPage) -> RfqConnection:
        edges = [RfqEdge(node=Rfq.of(s), cursor=procurement.rfq_cursor(s.rfq)) for s in page.rfqs]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [e.cursor for e in edges], has_next=page.has_next, started_after=page.started_after
            ),
        )


@strawberry.input(description="Narrow a list of RFQs.")
class RfqFilter:
    status: RfqStatus | None = strawberry.field(default=None, description="In this status.")
    buyer_id: strawberry.ID | None = strawberry.field(
        default=None, description="A BUMN's own RFQs (its organisation ID): the token's own."
    )
    supplier_id: strawberry.ID | None = strawberry.field(
        default=None, description="RFQs a Supplier was invited to: the token's own."
    )


@strawberry.input(description="One thing to buy.")
class RfqItemInput:
    description: str = strawberry.field(description="What is wanted, 1-500 characters.")
    kbli: str = strawberry.field(description="Five-digit KBLI 2020 code, e.g. `10794`.")
    quantity: int = strawberry.field(description="How many units (at least 1).")
    unit: str = strawberry.field(description="The unit: karung, pak, kg...")


@strawberry.input(description="A new RFQ.")
class PublishRfqInput:
    title: str = strawberry.field(description="What it is for, 3-200 characters.")
    items: list[RfqItemInput] = strawberry.field(description="At least one, at most 20.")
    delivery_region_code: str = strawberry.field(description="Kemendagri code: `32.73`.")
    deadline: datetime = strawberry.field(
        description="Until when quotes are taken: in the future, with a time zone."
    )
    prefer_small: bool = strawberry.field(
        default=False, description="Reserve it for usaha mikro and kecil (only they are invited)."
    )
    description: str = strawberry.field(default="", description="More about it.")
    buyer_id: strawberry.ID | None = strawberry.field(
        default=None, description="The buying BUMN's organisation ID; defaults to the token's."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Send the same key again (a retry) to get the RFQ it published rather "
        "than a second one, at PaDi too; 1-200 characters, one per RFQ.",
    )


@strawberry.input(description="A price for one RFQ item.")
class QuoteLineInput:
    position: int = strawberry.field(description="The RFQ item it answers, from 0.")
    unit_price: int | None = strawberry.field(
        default=None,
        description="Price per unit: required on PaDi; on SEJUK and Tangerang the listing's "
        "price, checked when given.",
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="On SEJUK and Tangerang: one of your Products, which the order will be for.",
    )


@strawberry.input(description="A supplier's quote on an RFQ it was invited to.")
class SubmitQuoteInput:
    rfq_id: strawberry.ID = strawberry.field(description="The RFQ's global ID.")
    network: str = strawberry.field(description="The network you were invited on and quote on.")
    lines: list[QuoteLineInput] = strawberry.field(description="One line per RFQ item.")
    delivery_days: int = strawberry.field(description="Days to deliver after the order (1-365).")
    note: str = strawberry.field(default="", description="Remarks for the buyer.")
    supplier_id: strawberry.ID | None = strawberry.field(
        default=None, description="The quoting Supplier's global ID; defaults to the token's."
    )


@strawberry.input(description="Whole months, inclusive: at most 24, not inverted.")
class MonthPeriod:
    from_: str = strawberry.field(name="from", description="First month, `2025-01`.")
    to: str = strawberry.field(description="Last month, `2025-12`.")


@strawberry.input(description="Whose spend, over which months, grouped how.")
class SpendFilter:
    period: MonthPeriod = strawberry.field(description="The months to sum.")
    group_by: SpendGroupBy = strawberry.field(description="What to sum by.")
    buyer: strawberry.ID | None = strawberry.field(
        default=None, description="The BUMN's organisation ID; defaults to the token's."
    )


@strawberry.type(description="One group's spend.")
class SpendGroup:
    key: str = strawberry.field(
        description="Month `2025-01`, region code, scale, KBLI code or network code."
    )
    label: str = strawberry.field(description="A readable name for the key.")
    total: Money = strawberry.field(description="Everything spent in the group.")
    umkm_total: Money = strawberry.field(
        description="The part with mikro, kecil and menengah suppliers."
    )
    order_count: int = strawberry.field(description="Orders behind it.")


@strawberry.type(description="A BUMN's spend: the hub's award orders and PaDi's own figures.")
class SpendReport:
    total: Money = strawberry.field(description="Everything spent in the period.")
    umkm_total: Money = strawberry.field(description="Spent with mikro, kecil and menengah.")
    umkm_share: float = strawberry.field(description="umkmTotal / total, 0-1 (0 without spend).")
    order_count: int = strawberry.field(description="Orders behind the total.")
    groups: list[SpendGroup] = strawberry.field(
        description="The total by the group asked: months in order, others largest first."
    )

    @classmethod
    def of(cls, report: model.SpendReport) -> SpendReport:
        group = report.filter.group_by
        return cls(
            total=Money.rupiah(report.total),
            umkm_total=Money.rupiah(report.umkm_amount),
            umkm_share=report.umkm_share,
            order_count=report.order_count,
            groups=[
                SpendGroup(
                    key=row.key,
                    label=_label(group, row.key),
                    total=Money.rupiah(row.amount),
                    umkm_total=Money.rupiah(row.umkm_amount),
                    order_count=row.order_count,
                )
                for row in report.rows
            ],
        )


def _label(group: model.SpendGroup, key: str) -> str:
    if group is model.SpendGroup.REGION:
        return Region.of(key).name or key
    if group is model.SpendGroup.SCALE:
        return f"usaha {key}" if key != "besar" else "usaha besar (non-UMKM)"
    if group is model.SpendGroup.NETWORK:
        return Network.of(key).name
    return key


@strawberry.type
class ProcurementQueries:
    """The procurement root fields of Query."""

    @strawberry.field(
        description="One RFQ by its global ID; null when it is not yours to see.",
        extensions=[access.owned(access.PROCUREMENT_READ)],
    )
    async def rfq(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="An Rfq's global ID.")],
    ) -> Rfq | None:
        found = await procurement.rfq(info.context, id)
        return Rfq.of(found) if found is not None else None

    @strawberry.field(
        description="RFQs newest first: a BUMN's own, or those a supplier was invited to.",
        extensions=[
            access.owned(access.PROCUREMENT_READ, own=("filter.buyerId", "filter.supplierId"))
        ],
    )
    async def rfqs(
        self,
        info: Info[Context, None],
        filter: Annotated[
            RfqFilter | None, strawberry.argument(description="Conditions that must all hold.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many, at most (1-100).")] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> RfqConnection:
        f = filter or RfqFilter()
        page = await procurement.rfqs(
            info.context,
            buyer_id=f.buyer_id,
            supplier_id=f.supplier_id,
            status=model.RfqStatus(f.status.value) if f.status else None,
            first=first,
            after=after,
        )
        return RfqConnection.of(page)

    @strawberry.field(
        description="A BUMN's spend with UMKM over whole months, grouped, with the UMKM "
        "share: the hub's award orders plus PaDi's own figures.",
        extensions=[access.owned(access.ANALYTICS_READ, own=("filter.buyer",))],
    )
    async def spend(
        self,
        info: Info[Context, None],
        filter: Annotated[SpendFilter, strawberry.argument(description="Whose, when, how.")],
    ) -> SpendReport:
        report = await procurement.spend(
            info.context,
            buyer=filter.buyer,
            first_month=filter.period.from_,
            last_month=filter.period.to,
            group_by=model.SpendGroup(filter.group_by.value),
        )
        return SpendReport.of(report)


@strawberry.type
class ProcurementMutations:
    """The procurement root fields of Mutation."""

    @strawberry.mutation(
        description="Publish an RFQ as a BUMN: sent to suppliers of each item's KBLI in the "
        "delivery province (nationwide when none there), on PaDi as PaDi's own RFQs.",
        extensions=[access.owned(access.PROCUREMENT_WRITE, own=("input.buyerId",))],
    )
    async def publish_rfq(
        self,
        info: Info[Context, None],
        input: Annotated[PublishRfqInput, strawberry.argument(description="The RFQ.")],
    ) -> Rfq:
        published = await procurement.publish_rfq(
            info.context,
            buyer_id=input.buyer_id,
            title=input.title,
            description=input.description,
            items=[
                procurement.ItemInput(i.description, i.kbli, i.quantity, i.unit)
                for i in input.items
            ],
            delivery_region_code=input.delivery_region_code,
            deadline=input.deadline,
            prefer_small=input.prefer_small,
            idempotency_key=input.idempotency_key,
        )
        return Rfq.of(published)

    @strawberry.mutation(
        description="Quote on an RFQ you were invited to, before its deadline, once.",
        extensions=[access.owned(access.PROCUREMENT_WRITE, own=("input.supplierId",))],
    )
    async def submit_quote(
        self,
        info: Info[Context, None],
        input: Annotated[SubmitQuoteInput, strawberry.argument(description="The quote.")],
    ) -> Quote:
        submitted = await procurement.submit_quote(
            info.context,
            supplier_id=input.supplier_id,
            rfq=input.rfq_id,
            network=input.network,
            lines=[
                procurement.QuoteLineInput(x.position, x.unit_price, x.product_id)
                for x in input.lines
            ],
            delivery_days=input.delivery_days,
            note=input.note,
        )
        return Quote.of(submitted)

    @strawberry.mutation(
        description="Award your RFQ to one of its quotes: the purchase order is issued at "
        "the winner's network (through the order saga, or PaDi's own award). Once per RFQ.",
        extensions=[access.owned(access.PROCUREMENT_WRITE)],
    )
    async def award_rfq(
        self,
        info: Info[Context, None],
        rfq_id: Annotated[strawberry.ID, strawberry.argument(description="The Rfq's global ID.")],
        quote_id: Annotated[
            strawberry.ID, strawberry.argument(description="The winning Quote's global ID.")
        ],
    ) -> Award:
        seen, award = await procurement.award_rfq(info.context, rfq_id, quote_id)
        return Award.of(award, seen)
