"""Tangerang's answers as pydantic models, and their canonical records.

Amounts are decimal strings of whole rupiah; one with sen is refused, never rounded.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter

from connectors.records import (
    Certification,
    CertificationKind,
    CooperativeRecord,
    OrderLineRecord,
    OrderRecord,
    OrderStatus,
    ProductRecord,
    Scale,
    SupplierRecord,
    TransactionRecord,
)

_WHOLE_RUPIAH = re.compile(r"(\d{1,15})(?:\.0{1,2})?")

CooperativeType = Literal["konsumen", "produsen", "serba_usaha", "simpan_pinjam", "pesantren"]
Native = TypeVar("Native", bound=BaseModel)


def _whole_rupiah(value: Any) -> int:
    """``"15000.00"`` -> ``15000``; anything else (sen, numbers, garbage) is refused."""
    if not isinstance(value, str) or (match := _WHOLE_RUPIAH.fullmatch(value)) is None:
        raise ValueError(f"expected a whole-rupiah decimal string, got {value!r}")
    return int(match.group(1))


Rupiah = Annotated[int, BeforeValidator(_whole_rupiah)]


class NativeItem(BaseModel):
    id: str
    name: str
    description: str = ""
    category: str
    unit: str
    price: Rupiah
    stock: int | None = Field(ge=0)
    min_order: int = Field(ge=1)
    merchant_id: str
    region_code: str


class NativeCertification(BaseModel):
    type: CertificationKind
    number: str | None = None


class NativeMerchant(BaseModel):
    id: str
    nib: str
    name: str
    region_code: str
    kbli: str
    kbli_codes: list[str]
    scale: Scale
    certifications: list[NativeCertification]


class NativeCooperative(BaseModel):
    id: str
    name: str
    type: CooperativeType
    region_code: str
    address: str = ""
    member_count: int | None = None


class NativePage(BaseModel, Generic[Native]):
    items: list[Native]
    next_cursor: str | None


class NativeBatch(BaseModel, Generic[Native]):
    items: list[Native]
    not_found: list[str]


ITEM_PAGE = TypeAdapter(NativePage[NativeItem])
ITEM_BATCH = TypeAdapter(NativeBatch[NativeItem])
MERCHANT_PAGE = TypeAdapter(NativePage[NativeMerchant])
MERCHANT_BATCH = TypeAdapter(NativeBatch[NativeMerchant])
COOPERATIVE_PAGE = TypeAdapter(NativePage[NativeCooperative])
COOPERATIVE_BATCH = TypeAdapter(NativeBatch[NativeCooperative])


def product_record(network: str, item: NativeItem) -> ProductRecord:
    return ProductRecord(
        network=network,
        id=item.id,
        name=item.name,
        category=item.category,
        unit=item.unit,
        price=item.price,
        stock=item.stock,
        min_order=item.min_order,
        supplier_id=item.merchant_id,
        region_code=item.region_code,
        description=item.description,
    )


def supplier_record(network: str, merchant: NativeMerchant) -> SupplierRecord:
    return SupplierRecord(
        network=network,
        id=merchant.id,
        nib=merchant.nib,
        name=merchant.name,
        region_code=merchant.region_code,
        kbli=tuple(dict.fromkeys([merchant.kbli, *merchant.kbli_codes])),
        scale=merchant.scale,
        certifications=tuple(Certification(c.type, c.number) for c in merchant.certifications),
        verified=None,
    )


def cooperative_record(network: str, coop: NativeCooperative) -> CooperativeRecord:
    return CooperativeRecord(
        network=network,
        id=coop.id,
        name=coop.name,
        type=coop.type,
        region_code=coop.region_code,
        member_count=coop.member_count,
        address=coop.address,
    )


OrderStatusName = Literal["created", "confirmed", "shipped", "delivered", "cancelled"]

_ORDER_STATUS = {
    "created": OrderStatus.CREATED,
    "confirmed": OrderStatus.CONFIRMED,
    "shipped": OrderStatus.SHIPPED,
    "delivered": OrderStatus.DELIVERED,
    "cancelled": OrderStatus.CANCELLED,
}


class NativeOrderLine(BaseModel):
    item_id: str
    quantity: int = Field(ge=1)
    unit_price: Rupiah
    line_total: Rupiah


class NativeOrder(BaseModel):
    id: str
    idempotency_key: str
    status: OrderStatusName
    lines: list[NativeOrderLine]
    total: Rupiah


class NativeTransaction(BaseModel):
    id: str
    seq: int
    cooperative_id: str | None
    type: str
    amount: Rupiah
    description: str
    occurred_at: str


ORDER = TypeAdapter(NativeOrder)
ORDER_PAGE = TypeAdapter(NativePage[NativeOrder])
TRANSACTION = TypeAdapter(NativeTransaction)


def order_record(network: str, order: NativeOrder) -> OrderRecord:
    return OrderRecord(
        network=network,
        id=order.id,
        reference=order.idempotency_key,
        status=_ORDER_STATUS[order.status],
        lines=tuple(
            OrderLineRecord(
                product_id=line.item_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.line_total,
            )
            for line in order.lines
        ),
        total=order.total,
    )


def transaction_record(network: str, transaction: NativeTransaction) -> TransactionRecord:
    return TransactionRecord(
        network=network,
        id=transaction.id,
        cooperative_id=transaction.cooperative_id,
        kind=transaction.type,
        amount=transaction.amount,
        description=transaction.description,
        occurred_at=transaction.occurred_at,
    )
