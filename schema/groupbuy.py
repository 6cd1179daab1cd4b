"""Belanja bareng: group buys across regions, their tier prices, participants and close."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from federation.groupbuy.model import Allocation, GroupBuyState, Participant
from federation.groupbuy.model import GroupBuy as GroupBuyRecord
from federation.groupbuy.pricing import PriceQuote
from resolvers import access, groupbuy
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema.catalog import PriceTier, Product
from schema.common import Money, PageInfo, Region
from schema.connections import AFTER, FIRST
from schema.cooperatives import Cooperative
from schema.node import Node
from schema.orders import Order
from schema.suppliers import Supplier


@strawberry.enum(description="Where a group buy stands.")
class GroupBuyStatus(Enum):
    OPEN = strawberry.enum_value("OPEN", description="Taking joins until it closes.")
    CLOSING = strawberry.enum_value(
        "CLOSING", description="Closed to joins; the aggregate order is being placed."
    )
    CLOSED = strawberry.enum_value(
        "CLOSED", description="Ordered and allocated: each participant's cost is fixed."
    )
    FAILED = strawberry.enum_value(
        "FAILED", description="No order stands (see failureReason); nobody is charged."
    )


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


async def _cooperative(info: Info[Context, None], key: tuple[str, str]) -> Cooperative | None:
    found = await info.context.loaders.cooperatives.load(key)
    return Cooperative.of(found) if found is not None else None


@strawberry.type(description="The next wholesale tier and what reaching it takes.")
class NextTier:
    min_quantity: int = strawberry.field(description="The total from which it applies.")
    unit_price: Money = strawberry.field(description="Its price per unit.")
    units_needed: int = strawberry.field(description="More units, from anyone, to reach it.")


@strawberry.type(description="The price the group's total reaches now.")
class GroupBuyPrice:
    total_quantity: int = strawberry.field(description="Units committed by all participants.")
    unit_price: Money = strawberry.field(
        description="What each unit costs if the group buy closed now."
    )
    next_tier: NextTier | None = strawberry.field(description="Null at the top tier.")

    @classmethod
    def of(cls, quote: PriceQuote) -> GroupBuyPrice:
        next_tier = None
        if quote.next_tier_quantity is not None and quote.next_tier_unit_price is not None:
            next_tier = NextTier(
                min_quantity=quote.next_tier_quantity,
                unit_price=Money.rupiah(quote.next_tier_unit_price),
                units_needed=quote.units_to_next_tier or 0,
            )
        return cls(
            total_quantity=quote.total_quantity,
            unit_price=Money.rupiah(quote.unit_price),
            next_tier=next_tier,
        )


@strawberry.type(description="A cooperative's commitment to a group buy.")
class GroupBuyParticipant:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative's global ID.")
    quantity: int = strawberry.field(description="Units it commits to.")
    amount_now: Money = strawberry.field(
        description="What its quantity would cost at the current tier price."
    )
    joined_at: datetime = strawberry.field(description="When it joined (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed its quantity.")
    record: strawberry.Private[Participant]

    @classmethod
    def of(cls, participant: Participant, quote: PriceQuote) -> GroupBuyParticipant:
        return cls(
            cooperative_id=strawberry.ID(groupbuy.cooperative_id(participant.key)),
            quantity=participant.quantity,
            amount_now=Money.rupiah(quote.amount_for(participant.quantity)),
            joined_at=_time(participant.joined_at),
            updated_at=_time(participant.updated_at),
            record=participant,
        )

    @strawberry.field(description="The cooperative, as its network lists it now.")
    async def cooperative(self, info: Info[Context, None]) -> Cooperative | None:
        return await _cooperative(info, self.record.key)


@strawberry.type(description="A participant's share of the aggregate order, fixed at close.")
class GroupBuyAllocation:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative's global ID.")
    quantity: int = strawberry.field(description="Units allocated to it.")
    unit_price: Money | None = strawberry.field(
        description="What the supplier's network charged per unit; null when nobody is charged."
    )
    amount: Money = strawberry.field(description="Its cost; zero when nobody is charged.")
    charged: bool = strawberry.field(description="Whether it pays (false when FAILED).")
    record: strawberry.Private[Allocation]

    @classmethod
    def of(cls, allocation: Allocation) -> GroupBuyAllocation:
        price = allocation.unit_price
        return cls(
            cooperative_id=strawberry.ID(groupbuy.cooperative_id(allocation.key)),
            quantity=allocation.quantity,
            unit_price=Money.rupiah(price) if price is not None else None,
            amount=Money.rupiah(allocation.amount),
            charged=allocation.charged,
            record=allocation,
        )

    @strawberry.field(description="The cooperative, as its network lists it now.")
    async def cooperative(self, info: Info[Context, None]) -> Cooperative | None:
        return await _cooperative(info, self.record.key)


@access.node_rule(access.CATALOG_READ, access.Tenancy.PUBLIC)
@strawberry.type(
    description="A belanja bareng: cooperatives from any network buying one product together "
    "to reach the supplier's wholesale tiers. One aggregate order is placed at close."
)
class GroupBuy(Node):
    status: GroupBuyStatus = strawberry.field(description="Where it stands.")
    coordinator_id: strawberry.ID = strawberry.field(
        description="The coordinating Cooperative's global ID."
    )
    coordinator_name: str = strawberry.field(description="The coordinator's name at opening.")
    product_id: strawberry.ID = strawberry.field(description="The Product's global ID.")
    product_name: str = strawberry.field(description="The product's name at opening.")
    unit: str = strawberry.field(description="The unit quantities are counted in.")
    delivery_region: Region = strawberry.field(
        description="Where the order is delivered: the coordinator's region."
    )
    tiers: list[PriceTier] = strawberry.field(
        description="The price ladder from one unit on: list price, then wholesale tiers."
    )
    price: GroupBuyPrice = strawberry.field(description="The tier the total reaches now.")
    target_quantity: int | None = strawberry.field(description="The total aimed for, if any.")
    target_reached: bool | None = strawberry.field(description="Null without a target.")
    min_quantity: int = strawberry.field(description="The least one participant may commit.")
    min_order: int = strawberry.field(description="The supplier's minimum for the whole order.")
    partners_only: bool = strawberry.field(
        description="Only the supplier's JUK partner cooperatives may join."
    )
    closes_at: datetime = strawberry.field(description="When it closes by itself (UTC).")
    failure_reason: str | None = strawberry.field(description="Why it FAILED, in words.")
    last_error: str | None = strawberry.field(
        description="While CLOSING: why the close is waiting (a network unreachable)."
    )
    created_at: datetime = strawberry.field(description="When it was opened (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    closed_at: datetime | None = strawberry.field(description="When it ended (UTC).")
    record: strawberry.Private[GroupBuyRecord]

    @classmethod
    def of(cls, record: GroupBuyRecord) -> GroupBuy:
        return cls(
            id=strawberry.ID(groupbuy.global_id(record)),
            status=GroupBuyStatus[record.status.name],
            coordinator_id=strawberry.ID(groupbuy.cooperative_id(record.coordinator)),
            coordinator_name=record.coordinator_name,
            product_id=strawberry.ID(to_global_id("Product", *record.product)),
            product_name=record.product_name,
            unit=record.unit,
            delivery_region=Region.of(record.delivery_region_code),
            tiers=[
                PriceTier(min_quantity=t.min_quantity, unit_price=Money.rupiah(t.unit_price))
                for t in record.tiers
            ],
            price=GroupBuyPrice.of(record.quote),
            target_quantity=record.target_quantity,
            target_reached=record.target_reached,
            min_quantity=record.min_quantity,
            min_order=record.min_order,
            partners_only=record.partners_only,
            closes_at=_time(record.closes_at),
            failure_reason=record.failure_reason,
            last_error=record.last_error,
            created_at=_time(record.created_at),
            updated_at=_time(record.updated_at),
            closed_at=_time(record.closed_at) if record.closed_at is not None else None,
            record=record,
        )

    @strawberry.field(description="The coordinator, as its network lists it now.")
    async def coordinator(self, info: Info[Context, None]) -> Cooperative | None:
        return await _cooperative(info, self.record.coordinator)

    @strawberry.field(description="The product, live from its network; null if gone.")
    async def product(self, info: Info[Context, None]) -> Product | None:
        found = await info.context.loaders.products.load(self.record.product)
        return Product.of(found) if found is not None else None

    @strawberry.field(description="Who sells the product.")
    async def supplier(self, info: Info[Context, None]) -> Supplier | None:
        found = await info.context.loaders.suppliers.load(self.record.supplier)
        return Supplier.of(found) if found is not None else None

    @strawberry.field(
        description="Who has joined: every participant for the coordinator, only its own "
        "entry for anyone else."
    )
    def participants(self, info: Info[Context, None]) -> list[GroupBuyParticipant]:
        quote = self.record.quote
        visible = groupbuy.visible_participants(info.context, self.record)
        return [GroupBuyParticipant.of(p, quote) for p in visible]

    @strawberry.field(
        description="Once CLOSED or FAILED: each participant's quantity and cost (the "
        "coordinator sees all, anyone else its own)."
    )
    def allocations(self, info: Info[Context, None]) -> list[GroupBuyAllocation]:
        visible = groupbuy.visible_allocations(info.context, self.record)
        return [GroupBuyAllocation.of(a) for a in visible]

    @strawberry.field(description="The aggregate order, for the coordinator; null otherwise.")
    async def order(self, info: Info[Context, None]) -> Order | None:
        found = await groupbuy.aggregate_order(info.context, self.record)
        return Order.of(found) if found is not None else None


@strawberry.type(description="A group buy in a page, with its cursor.")
class GroupBuyEdge:
    node: GroupBuy = strawberry.field(description="The group buy.")
    cursor: str = strawberry.field(description="Pass as `after` to continue right after it.")


@strawberry.type(description="A page of group buys, newest first.")
class GroupBuyConnection:
    edges: list[GroupBuyEdge] = strawberry.field(description="The group buys.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")


@strawberry.input(description="Narrow a list of group buys; every field set narrows it.")
class GroupBuyFilter:
    status: GroupBuyStatus | None = strawberry.field(default=None, description="In this status.")
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="On this Product."
    )
    coordinator_id: strawberry.ID | None = strawberry.field(
        default=None, description="Coordinated by this Cooperative."
    )
    participant_id: strawberry.ID | None = strawberry.field(
        default=None, description="Joined by this Cooperative: the token's own."
    )


@strawberry.input(description="A new group buy on one product.")
class OpenGroupBuyInput:
    coordinator_id: strawberry.ID = strawberry.field(
        description="The coordinating Cooperative's global ID (the token's own)."
    )
    product_id: strawberry.ID = strawberry.field(description="The Product's global ID.")
    closes_at: datetime = strawberry.field(
        description="When it closes by itself, with a time zone; within 90 days."
    )
    target_quantity: int | None = strawberry.field(
        default=None, description="A total to aim for, shown as progress."
    )
    min_quantity: int = strawberry.field(
        default=1, description="The least one participant may commit."
    )
    partners_only: bool = strawberry.field(
        default=False,
        description="Only cooperatives with a JUK MoU with the supplier may join (the "
        "coordinator must hold one too).",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Send the same key again (a retry) to get the group buy it opened "
        "rather than a second one; 1-200 characters, one per group buy.",
    )


@strawberry.input(description="Join a group buy, or change the quantity already committed.")
class JoinGroupBuyInput:
    group_buy_id: strawberry.ID = strawberry.field(description="The GroupBuy's global ID.")
    cooperative_id: strawberry.ID = strawberry.field(
        description="The joining Cooperative's global ID (the token's own)."
    )
    quantity: int = strawberry.field(
        description="Units to commit; joining again replaces the earlier quantity."
    )


# Whose group buys a cooperative joined is its own business; whose it coordinates is not:
# every group buy shows its coordinator to anyone browsing offers.
GROUP_BUYS = access.catalogue(
    own=("filter.participantId",),
    public={"filter.coordinatorId": "a group buy is an offer that names its coordinator"},
)
GROUP_BUY_ID = strawberry.argument(description="The GroupBuy's global ID.")
COOPERATIVE_ID = strawberry.argument(description="The acting Cooperative's global ID.")


def connection(page: groupbuy.GroupBuyPage) -> GroupBuyConnection:
    edges = [GroupBuyEdge(node=GroupBuy.of(g), cursor=groupbuy.cursor(g)) for g in page.group_buys]
    return GroupBuyConnection(
        edges=edges,
        page_info=PageInfo.of(
            [e.cursor for e in edges], has_next=page.has_next, started_after=page.started_after
        ),
    )


@strawberry.type
class GroupBuyQueries:
    """The group-buy root fields of Query."""

    @strawberry.field(
        description="One group buy; null when there is none.", extensions=[access.catalogue()]
    )
    async def group_buy(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, GROUP_BUY_ID]
    ) -> GroupBuy | None:
        found = await groupbuy.group_buy(info.context, id)
        return GroupBuy.of(found) if found is not None else None

    @strawberry.field(
        description="Group buys, newest first: find one to join.", extensions=[GROUP_BUYS]
    )
    async def group_buys(
        self,
        info: Info[Context, None],
        filter: Annotated[
            GroupBuyFilter | None, strawberry.argument(description="What to narrow to.")
        ] = None,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> GroupBuyConnection:
        where = filter or GroupBuyFilter()
        page = await groupbuy.group_buys(
            info.context,
            status=GroupBuyState[where.status.name] if where.status else None,
            product_id=where.product_id,
            coordinator_id=where.coordinator_id,
            participant_id=where.participant_id,
            first=first,
            after=after,
        )
        return connection(page)


@strawberry.type
class GroupBuyMutations:
    """The group-buy root fields of Mutation."""

    @strawberry.mutation(
        description="Open a group buy on a product, coordinated by your cooperative. Its "
        "price follows the product's wholesale tiers as participants join.",
        extensions=[access.owned(access.GROUPBUY_WRITE, own=("input.coordinatorId",))],
    )
    async def open_group_buy(
        self,
        info: Info[Context, None],
        input: Annotated[OpenGroupBuyInput, strawberry.argument(description="The group buy.")],
    ) -> GroupBuy:
        opened = await groupbuy.open_group_buy(
            info.context,
            coordinator_id=input.coordinator_id,
            product_id=input.product_id,
            closes_at=input.closes_at,
            target_quantity=input.target_quantity,
            min_quantity=input.min_quantity,
            partners_only=input.partners_only,
            idempotency_key=input.idempotency_key,
        )
        return GroupBuy.of(opened)

    @strawberry.mutation(
        description="Join an open group buy with a quantity; joining again changes it.",
        extensions=[access.owned(access.GROUPBUY_WRITE, own=("input.cooperativeId",))],
    )
    async def join_group_buy(
        self,
        info: Info[Context, None],
        input: Annotated[JoinGroupBuyInput, strawberry.argument(description="Who and how many.")],
    ) -> GroupBuy:
        joined = await groupbuy.join_group_buy(
            info.context,
            group_buy_id=input.group_buy_id,
            cooperative=input.cooperative_id,
            quantity=input.quantity,
        )
        return GroupBuy.of(joined)

    @strawberry.mutation(
        description="Leave an open group buy.",
        extensions=[access.owned(access.GROUPBUY_WRITE, own=("cooperativeId",))],
    )
    async def withdraw_from_group_buy(
        self,
        info: Info[Context, None],
        group_buy_id: Annotated[strawberry.ID, GROUP_BUY_ID],
        cooperative_id: Annotated[strawberry.ID, COOPERATIVE_ID],
    ) -> GroupBuy:
        left = await groupbuy.withdraw_from_group_buy(
            info.context, group_buy_id=group_buy_id, cooperative=cooperative_id
        )
        return GroupBuy.of(left)

    @strawberry.mutation(
        description="Close now, as the coordinator: one aggregate order is placed at the "
        "supplier's network and allocated to the participants. CLOSED, FAILED (nobody is "
        "charged) or CLOSING while the order is still on its way.",
        extensions=[access.owned(access.GROUPBUY_WRITE, own=("cooperativeId",))],
    )
    async def close_group_buy(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, GROUP_BUY_ID],
        cooperative_id: Annotated[strawberry.ID, COOPERATIVE_ID],
    ) -> GroupBuy:
        closed = await groupbuy.close_group_buy(
            info.context, group_buy_id=id, cooperative=cooperative_id
        )
        return GroupBuy.of(closed)


@strawberry.type
class GroupBuySubscriptions:
    """The group-buy root fields of Subscription."""

    @strawberry.subscription(
        description="The group buy now, then every time it changes, until it ends.",
        extensions=[access.catalogue()],
    )
    async def group_buy_updates(
        self,
        info: Info[Context, None],
        group_buy_id: Annotated[strawberry.ID, GROUP_BUY_ID],
    ) -> AsyncIterator[GroupBuy]:
        async for found in groupbuy.group_buy_updates(info.context, group_buy_id):
            yield GroupBuy.of(found)
