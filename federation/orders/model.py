"""Orders as the hub keeps them: plain records read from and written to its database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrderState(StrEnum):
    """An order's life in the hub.

    PENDING → PLACING → CONFIRMED → SHIPPED → DELIVERED; a sub-order refused or failing
    sends PLACING → COMPENSATING → FAILED; a cancel sends CONFIRMED → CANCELLING → CANCELLED.
    """

    PENDING = "PENDING"
    PLACING = "PLACING"
    CONFIRMED = "CONFIRMED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    COMPENSATING = "COMPENSATING"
    FAILED = "FAILED"
    CANCELLING = "CANCELLING"
    CANCELLED = "CANCELLED"

    @property
    def final(self) -> bool:
        return self in (OrderState.DELIVERED, OrderState.FAILED, OrderState.CANCELLED)


class SubOrderState(StrEnum):
    PENDING = "PENDING"  # not sent yet
    PLACING = "PLACING"  # sent (maybe landed): a retry must be idempotent
    PLACED = "PLACED"
    REJECTED = "REJECTED"  # the network refused it; nothing exists there
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class OrderLine:
    position: int
    network: str
    product_id: str  # the network's own id
    name: str
    unit: str
    quantity: int
    unit_price: int
    amount: int


@dataclass(frozen=True)
class SubOrder:
    network: str
    reference: str
    native_id: str | None
    state: SubOrderState
    network_status: str | None
    attempts: int
    last_error: str | None
    total: int | None


@dataclass(frozen=True)
class OrderEvent:
    id: int
    kind: str
    status: OrderState
    message: str
    network: str | None
    created_at: float


@dataclass(frozen=True)
class Order:
    id: str
    idempotency_key: str
    buyer_id: str
    buyer_name: str
    buyer_network: str
    delivery_region_code: str
    status: OrderState
    failure_reason: str | None
    total: int
    created_at: float
    updated_at: float
    lines: tuple[OrderLine, ...]
    sub_orders: tuple[SubOrder, ...]
    events: tuple[OrderEvent, ...]


@dataclass(frozen=True)
class OrderDraft:
    """A validated order, priced, before it is written."""

    idempotency_key: str
    request_hash: str
    buyer_id: str
    buyer_name: str
    buyer_network: str
    delivery_region_code: str
    lines: tuple[OrderLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def networks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.network for line in self.lines))
