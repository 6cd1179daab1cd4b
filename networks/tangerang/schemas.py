"""Pydantic models of the Tangerang API: request bodies, query strings and responses."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from networks.common.catalog import CATEGORY_BY_SLUG
from networks.tangerang.money import MoneyInput, MoneyOutput
from networks.tangerang.paging import PageQuery

REGION_PATTERN = r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$"
CooperativeType = Literal["konsumen", "produsen", "serba_usaha", "simpan_pinjam", "pesantren"]
Scale = Literal["mikro", "kecil", "menengah", "besar"]
CertificationType = Literal["halal", "sni", "pirt", "bpom"]
OrderStatus = Literal["created", "confirmed", "shipped", "delivered", "cancelled"]
BillKind = Literal["simpanan_wajib", "iuran", "listrik", "pdam", "angsuran_pinjaman"]
BillStatus = Literal["unpaid", "paid"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Errors


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorResponse(BaseModel):
    """Every error: ``{"error": {"code", "message", "details"}}``."""

    error: ErrorDetail


# Queries


class CooperativeQuery(PageQuery):
    type: CooperativeType | None = None
    region_code: str | None = Field(default=None, pattern=REGION_PATTERN)
    q: str | None = Field(default=None, min_length=1, max_length=100)


class MerchantQuery(PageQuery):
    region_code: str | None = Field(default=None, pattern=REGION_PATTERN)
    kbli: str | None = Field(default=None, pattern=r"^\d{5}$")
    scale: Scale | None = None
    certification: CertificationType | None = None
    q: str | None = Field(default=None, min_length=1, max_length=100)


class ItemQuery(PageQuery):
    q: str | None = Field(default=None, min_length=1, max_length=100)
    category: str | None = None
    merchant_id: str | None = None
    region_code: str | None = Field(default=None, pattern=REGION_PATTERN)
    min_price: MoneyInput | None = None
    max_price: MoneyInput | None = None
    in_stock: bool | None = Field(
        default=None,
        description="true: orderable (stock above zero or unknown); false: stock is zero",
    )

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str | None) -> str | None:
        if value is not None and value not in CATEGORY_BY_SLUG:
            raise ValueError(f"unknown category; one of {', '.join(CATEGORY_BY_SLUG)}")
        return value


class ChangesQuery(PageQuery):
    pass


class BillQuery(PageQuery):
    status: BillStatus | None = None


class TransactionQuery(PageQuery):
    cooperative_id: str | None = None


class StreamQuery(Strict):
    cooperative_id: str | None = None


class OrderQuery(PageQuery):
    idempotency_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="only the order placed with this Idempotency-Key (yours, as keys are)",
    )


# Bodies


class BatchGetRequest(Strict):
    ids: list[str] = Field(min_length=1)


class NibLookupRequest(Strict):
    nibs: list[str] = Field(min_length=1)


class Buyer(Strict):
    name: str = Field(min_length=1, max_length=200)
    organization_id: str = Field(min_length=1, max_length=100)
    home_network: str = Field(min_length=1, max_length=50)
    delivery_region_code: str = Field(pattern=REGION_PATTERN)


class OrderLineInput(Strict):
    item_id: str
    quantity: int = Field(gt=0, le=1_000_000)


class OrderCreate(Strict):
    buyer: Buyer
    lines: list[OrderLineInput] = Field(min_length=1, max_length=100)
    note: str | None = Field(default=None, max_length=1_000)


class ItemUpsert(Strict):
    merchant_id: str
    name: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=2_000)
    category: str
    unit: str = Field(min_length=1, max_length=50)
    price: MoneyInput
    stock: int | None = Field(default=None, ge=0)
    min_order: int = Field(default=1, ge=1)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORY_BY_SLUG:
            raise ValueError(f"unknown category; one of {', '.join(CATEGORY_BY_SLUG)}")
        return value


class TransactionCreate(Strict):
    cooperative_id: str
    member_id: str | None = None
    type: str = Field(default="adjustment", pattern=r"^[a-z][a-z0-9_]{0,39}$")
    amount: MoneyInput
    description: str = Field(min_length=1, max_length=500)


# Responses


class Cooperative(BaseModel):
    id: str
    name: str
    type: CooperativeType
    registration_number: str
    region_code: str
    address: str
    chairperson: str
    phone: str
    founded_year: int
    member_count: int


class CooperativePage(BaseModel):
    items: list[Cooperative]
    next_cursor: str | None


class CooperativeBatch(BaseModel):
    items: list[Cooperative]
    not_found: list[str]


class Certification(BaseModel):
    type: CertificationType
    number: str


class Merchant(BaseModel):
    id: str
    nib: str
    name: str
    legal_form: str
    owner_name: str
    phone: str
    address: str
    region_code: str
    kbli: str
    kbli_codes: list[str]
    categories: list[str]
    scale: Scale
    certifications: list[Certification]
    founded_year: int


class MerchantPage(BaseModel):
    items: list[Merchant]
    next_cursor: str | None


class MerchantBatch(BaseModel):
    items: list[Merchant]
    not_found: list[str]


class Item(BaseModel):
    id: str
    sku: str
    name: str
    description: str
    category: str
    unit: str
    price: MoneyOutput
    currency: Literal["IDR"] = "IDR"
    stock: int | None = Field(description="null when the merchant does not report stock")
    min_order: int
    merchant_id: str
    merchant_name: str
    region_code: str
    updated_at: str


class ItemPage(BaseModel):
    items: list[Item]
    next_cursor: str | None


class ItemBatch(BaseModel):
    items: list[Item]
    not_found: list[str]


class Change(BaseModel):
    version: int
    item_id: str
    type: Literal["upsert", "delete"]
    item: Item | None


class ChangePage(BaseModel):
    changes: list[Change]
    next_cursor: str
    has_more: bool


class Member(BaseModel):
    id: str
    cooperative_id: str
    member_number: str
    name: str
    phone: str
    address: str
    joined_on: str


class MemberPage(BaseModel):
    items: list[Member]
    next_cursor: str | None


class Bill(BaseModel):
    id: str
    member_id: str
    cooperative_id: str
    kind: BillKind
    description: str
    period: str
    amount: MoneyOutput
    currency: Literal["IDR"] = "IDR"
    due_date: str
    status: BillStatus
    paid_at: str | None
    transaction_id: str | None


class BillPage(BaseModel):
    items: list[Bill]
    next_cursor: str | None


class Transaction(BaseModel):
    id: str
    seq: int
    cooperative_id: str | None
    member_id: str | None
    order_id: str | None
    bill_id: str | None
    type: str
    amount: MoneyOutput
    currency: Literal["IDR"] = "IDR"
    description: str
    occurred_at: str


class TransactionPage(BaseModel):
    items: list[Transaction]
    next_cursor: str | None


class BillPayment(BaseModel):
    bill: Bill
    transaction: Transaction


class OrderLine(BaseModel):
    item_id: str
    merchant_id: str
    name: str
    unit: str
    quantity: int
    unit_price: MoneyOutput
    line_total: MoneyOutput


class Order(BaseModel):
    id: str
    idempotency_key: str = Field(description="the Idempotency-Key it was placed with")
    status: OrderStatus
    buyer: Buyer
    lines: list[OrderLine]
    note: str | None
    total: MoneyOutput
    currency: Literal["IDR"] = "IDR"
    created_at: str
    updated_at: str


class OrderPage(BaseModel):
    items: list[Order]
    next_cursor: str | None
