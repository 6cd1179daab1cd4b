"""Orders across networks: what the buyer sees of the saga, its sub-orders and events."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from connectors.records import TransactionRecord
from federation.orders.model import Order as OrderRecord
from federation.orders.model import OrderEvent as EventRecord
from federation.orders.model import OrderLine as LineRecord
from federation.orders.model import SubOrder as SubOrderRecord
from resolvers import access
from resolvers.context import Context
from resolvers.ids import from_global_id, to_global_id
from schema.catalog import Product
from schema.common import Money, PageInfo, Region
from schema.cooperatives import Cooperative
from schema.networks import Network
from schema.node import Node


@strawberry.enum(description="Where an order stands in the hub.")
class OrderStatus(Enum):
    PENDING = "PENDING"
    PLACING = "PLACING"
    CONFIRMED = "CONFIRMED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    COMPENSATING = "COMPENSATING"
    FAILED = "FAILED"
    CANCELLING = "CANCELLING"
    CANCELLED = "CANCELLED"


@strawberry.enum(description="Where one network's part of an order stands in the saga.")
class SubOrderState(Enum):
    PENDING = "PENDING"
    PLACING = "PLACING"
    PLACED = "PLACED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


@strawberry.type(description="One product line of an order, priced when it was placed.")
class OrderLine:
    network: Network = strawberry.field(description="The network that sells it.")
    name: str = strawberry.field(description="The product's name when ordered.")
    unit: str = strawberry.field(description="The unit ordered.")
    quantity: int = strawberry.field(description="Units ordered.")
    unit_price: Money = strawberry.field(description="Price per unit, at the tier reached.")
    amount: Money = strawberry.field(description="quantity × unitPrice.")
    record: strawberry.Private[LineRecord]

    @classmethod
    def of(cls, line: LineRecord) -> OrderLine:
        return cls(
            network=Network.of(line.network),
            name=line.name,
            unit=line.unit,
            quantity=line.quantity,
            unit_price=Money.rupiah(line.unit_price),
            amount=Money.rupiah(line.amount),
            record=line,
        )

    @strawberry.field(description="The product's global ID.")
    def product_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Product", self.record.network, self.record.product_id))

    @strawberry.field(description="The product as its network lists it now; null if gone.")
    async def product(self, info: Info[Context, None]) -> Product | None:
        found = await info.context.loaders.products.load(
            (self.record.network, self.record.product_id)
        )
        return Product.of(found) if found is not None else None


@strawberry.type(description="One network's part of an order.")
class SubOrder:
    network: Network = strawberry.field(description="The network.")
    reference: str = strawberry.field(description="The hub's idempotent reference there.")
    native_id: str | None = strawberry.field(description="The network's order id, once placed.")
    state: SubOrderState = strawberry.field(description="Where it stands in the saga.")
    network_status: str | None = strawberry.field(
        description="The network's own status: CREATED, CONFIRMED, SHIPPED, DELIVERED, CANCELLED."
    )
    total: Money | None = strawberry.field(description="What the network charged, once placed.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")

    @classmethod
    def of(cls, sub: SubOrderRecord) -> SubOrder:
        return cls(
            network=Network.of(sub.network),
            reference=sub.reference,
            native_id=sub.native_id,
            state=SubOrderState(sub.state.value),
            network_status=sub.network_status,
            total=Money.rupiah(sub.total) if sub.total is not None else None,
            last_error=sub.last_error,
        )


@strawberry.type(description="Something that happened to an order.")
class OrderEvent:
    at: datetime = strawberry.field(description="When (UTC).")
    kind: str = strawberry.field(description="What: CREATED, SUB_ORDER_PLACED, CONFIRMED...")
    status: OrderStatus = strawberry.field(description="The order's status after it.")
    message: str = strawberry.field(description="In words.")
    network: Network | None = strawberry.field(description="The network it concerns, if one.")

    @classmethod
    def of(cls, event: EventRecord) -> OrderEvent:
        return cls(
            at=_time(event.created_at),
            kind=event.kind,
            status=OrderStatus(event.status.value),
            message=event.message,
            network=Network.of(event.network) if event.network else None,
        )


@access.node_rule(access.ORDERS_READ, access.Tenancy.OWNED)
@strawberry.type(description="An order across networks, placed by the hub for a buyer.")
class Order(Node):
    status: OrderStatus = strawberry.field(description="Where it stands.")
    buyer_id: strawberry.ID = strawberry.field(description="The buying cooperative's global ID.")
    buyer_name: str = strawberry.field(description="The buyer's name when it ordered.")
    delivery_region: Region = strawberry.field(description="Where it is delivered.")
    lines: list[OrderLine] = strawberry.field(description="What was ordered.")
    sub_orders: list[SubOrder] = strawberry.field(description="One per network.")
    total: Money = strawberry.field(description="Sum of the lines, or what networks charged.")
    failure_reason: str | None = strawberry.field(description="Why it FAILED, in words.")
    events: list[OrderEvent] = strawberry.field(description="Its history, oldest first.")
    created_at: datetime = strawberry.field(description="When it was placed (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def of(cls, order: OrderRecord) -> Order:
        return cls(
            id=strawberry.ID(to_global_id("Order", order.id)),
            status=OrderStatus(order.status.value),
            buyer_id=strawberry.ID(order.buyer_id),
            buyer_name=order.buyer_name,
            delivery_region=Region.of(order.delivery_region_code),
            lines=[OrderLine.of(line) for line in order.lines],
            sub_orders=[SubOrder.of(sub) for sub in order.sub_orders],
            total=Money.rupiah(order.total),
            failure_reason=order.failure_reason,
            events=[OrderEvent.of(e) for e in order.events],
            created_at=_time(order.created_at),
            updated_at=_time(order.updated_at),
        )

    @strawberry.field(description="The buying cooperative, as its network lists it now.")
    async def buyer(self, info: Info[Context, None]) -> Cooperative | None:
        _, parts = from_global_id(self.buyer_id)
        found = await info.context.loaders.cooperatives.load((parts[0], parts[1]))
        return Cooperative.of(found) if found is not None else None


@strawberry.type(description="An order in a page, with its cursor.")
class OrderEdge:
    node: Order = strawberry.field(description="The order.")
    cursor: str = strawberry.field(description="Pass as `after` to continue right after it.")


@strawberry.type(description="A page of orders, newest first.")
class OrderConnection:
    edges: list[OrderEdge] = strawberry.field(description="The orders.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")


@strawberry.input(description="One line of a new order.")
class OrderLineInput:
    product_id: strawberry.ID = strawberry.field(description="A Product's global ID.")
    quantity: int = strawberry.field(description="Units: at least the product's minimum.")
    expected_unit_price: int | None = strawberry.field(
        default=None,
        description="The unit price (rupiah) you were shown, at this quantity's tier. If "
        "the network asks more now, the order is refused (CONFLICT, with the product and "
        "its new unitPrice in the error's extensions). Left out: the price the hub's "
        "catalog index shows, when it has the product.",
    )


@strawberry.input(description="A new order, across as many networks as its products are in.")
class PlaceOrderInput:
    buyer_id: strawberry.ID = strawberry.field(description="The buying Cooperative's global ID.")
    lines: list[OrderLineInput] = strawberry.field(description="One line per product.")
    delivery_region_code: str = strawberry.field(description="Kemendagri code: `32.73`.")
    idempotency_key: str = strawberry.field(
        description="Unique per order you mean: sending it again returns the same order."
    )


@strawberry.input(description="Narrow a list of orders.")
class OrderFilter:
    buyer_id: strawberry.ID | None = strawberry.field(default=None, description="One buyer's.")
    status: OrderStatus | None = strawberry.field(default=None, description="In this status.")


@strawberry.type(description="A money movement at a cooperative, as it happens.")
class Transaction:
    id: str = strawberry.field(description="Unique within its source.")
    source: str = strawberry.field(description="The network that reported it, or `hub`.")
    kind: str = strawberry.field(description="The source's own kind: purchase, bill_payment...")
    amount: Money = strawberry.field(description="How much.")
    description: str = strawberry.field(description="In words.")
    occurred_at: str = strawberry.field(description="When, ISO 8601.")

    @classmethod
    def of(cls, record: TransactionRecord) -> Transaction:
        return cls(
            id=record.id,
            source=record.network,
            kind=record.kind,
            amount=Money.rupiah(record.amount),
            description=record.description,
            occurred_at=record.occurred_at,
        )
