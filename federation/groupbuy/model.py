"""Group buys (*belanja bareng*) as the hub keeps them: plain records, no GraphQL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from connectors.records import PriceTier
from federation.groupbuy.pricing import PriceQuote, quote
from federation.idempotency import RequestKey

Key = tuple[str, str]  # (network code, the network's own id)


class GroupBuyState(StrEnum):
    """A group buy's life in the hub.

    OPEN → CLOSING → CLOSED, or → FAILED. OPEN takes joins until the coordinator closes it
    or its closing time passes; CLOSING has stopped taking them and is placing (or
    following) the one aggregate order; CLOSED has it confirmed and allocated; FAILED
    means no order stands (refused, or nothing to order) and nobody is charged.
    """

    OPEN = "OPEN"
    CLOSING = "CLOSING"
    CLOSED = "CLOSED"
    FAILED = "FAILED"

    @property
    def final(self) -> bool:
        return self in (GroupBuyState.CLOSED, GroupBuyState.FAILED)


@dataclass(frozen=True)
class Participant:
    """One cooperative's commitment; joining again replaces its quantity."""

    network: str
    cooperative_id: str
    quantity: int
    joined_at: float
    updated_at: float

    @property
    def key(self) -> Key:
        return (self.network, self.cooperative_id)


@dataclass(frozen=True)
class Allocation:
    """A participant's share of the aggregate order, fixed when the group buy ends.

    ``unit_price`` is what the supplier's network actually charged; None (and amount 0)
    when the group buy FAILED and nobody is charged.
    """

    network: str
    cooperative_id: str
    quantity: int
    unit_price: int | None
    amount: int

    @property
    def key(self) -> Key:
        return (self.network, self.cooperative_id)

    @property
    def charged(self) -> bool:
        return self.unit_price is not None


@dataclass(frozen=True)
class GroupBuyDraft:
    """A checked group buy, before it is written: the product's facts as of opening."""

    coordinator: Key
    coordinator_label: str  # the ID the caller used: the aggregate order's buyer id
    coordinator_name: str
    delivery_region_code: str  # the coordinator's region: where the order goes
    product: Key
    product_label: str
    product_name: str
    unit: str
    supplier_id: str  # the product network's own supplier id
    min_order: int  # the supplier's minimum for the whole order
    tiers: tuple[PriceTier, ...]  # the price ladder from one unit on (pricing.ladder)
    target_quantity: int | None
    min_quantity: int  # per participant
    partners_only: bool
    closes_at: float
    request_key: RequestKey | None = None  # the coordinator's idempotency key, if sent


@dataclass(frozen=True)
class GroupBuy:
    id: str
    coordinator: Key
    coordinator_label: str
    coordinator_name: str
    delivery_region_code: str
    product: Key
    product_label: str
    product_name: str
    unit: str
    supplier_id: str
    min_order: int
    tiers: tuple[PriceTier, ...]
    target_quantity: int | None
    min_quantity: int
    partners_only: bool
    closes_at: float
    status: GroupBuyState
    failure_reason: str | None
    last_error: str | None  # why closing is waiting (a network unreachable), while CLOSING
    order_id: str | None
    version: int  # grows with every change: watchers compare it
    created_at: float
    updated_at: float
    closed_at: float | None
    participants: tuple[Participant, ...]
    allocations: tuple[Allocation, ...]

    @property
    def supplier(self) -> Key:
        return (self.product[0], self.supplier_id)

    @property
    def total_quantity(self) -> int:
        return sum(p.quantity for p in self.participants)

    @property
    def quote(self) -> PriceQuote:
        """The price every participant would pay per unit if the group buy closed now."""
        return quote(self.tiers, self.total_quantity)

    @property
    def target_reached(self) -> bool | None:
        """None when the group buy has no target."""
        if self.target_quantity is None:
            return None
        return self.total_quantity >= self.target_quantity

    def participant(self, cooperative: Key) -> Participant | None:
        return next((p for p in self.participants if p.key == cooperative), None)

    def allocation(self, cooperative: Key) -> Allocation | None:
        return next((a for a in self.allocations if a.key == cooperative), None)

    def accepts_joins_at(self, now: float) -> bool:
        return self.status is GroupBuyState.OPEN and now < self.closes_at
