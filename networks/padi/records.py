"""PaDi's domain records (what services return) and validated inputs (what they take)."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")

REGION_PATTERN = r"^\d{2}\.\d{2}$"
KBLI_PATTERN = r"^\d{5}$"


class Record(BaseModel):
    """A read-only record; its JSON form uses camelCase like the GraphQL schema."""

    model_config = ConfigDict(frozen=True, alias_generator=to_camel, populate_by_name=True)


class Input(BaseModel):
    """Validated input: unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, str_strip_whitespace=True
    )


class Page(Record, Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int
    total_pages: int


class CertificationRecord(Record):
    type: str
    number: str


class UmkmRecord(Record):
    id: str
    nib: str
    name: str
    owner_name: str
    kbli: str
    kbli_codes: list[str]
    scale: str
    certifications: list[CertificationRecord]
    region_code: str
    verified: bool
    founded_year: int


class ProductRecord(Record):
    id: str
    umkm_id: str
    name: str
    category: str
    kbli: str
    unit: str
    price: int
    stock: int
    min_order: int
    description: str
    region_code: str


class CooperativeRecord(Record):
    id: str
    name: str
    type: str
    registration_number: str
    region_code: str
    member_count: int
    role: str
    joined_on: str


class BumnRecord(Record):
    id: str
    name: str
    sector: str
    region_code: str


class ChangeRecord(Record):
    version: int
    product_id: str
    kind: str


class ChangePage(Page[ChangeRecord]):
    up_to: int


class RfqRecord(Record):
    id: int
    bumn_id: str
    title: str
    description: str
    kbli: str
    region_code: str | None
    quantity: int
    unit: str
    deadline: str
    status: str
    created_at: str
    awarded_quotation_id: int | None


class QuotationRecord(Record):
    id: int
    rfq_id: int
    umkm_id: str
    unit_price: int
    quantity: int
    delivery_days: int
    note: str
    status: str
    created_at: str


class BuyerRecord(Record):
    name: str
    organization_id: str
    home_network: str
    delivery_region_code: str


class OrderLineRecord(Record):
    line_no: int
    product_id: str | None
    umkm_id: str
    description: str
    quantity: int
    unit_price: int
    amount: int


class PurchaseOrderRecord(Record):
    id: int
    client_reference: str | None
    status: str
    buyer: BuyerRecord
    lines: list[OrderLineRecord]
    total: int
    rfq_id: int | None
    bumn_id: str | None
    created_at: str
    updated_at: str


class SpendRow(Record):
    key: str
    amount: int
    order_count: int


class SpendReport(Record):
    group_by: str
    rows: list[SpendRow]
    total: int
    order_count: int


class BuyerInput(Input):
    name: str = Field(min_length=1, max_length=200)
    organization_id: str = Field(min_length=1, max_length=100)
    home_network: str = Field(min_length=1, max_length=50)
    delivery_region_code: str = Field(pattern=REGION_PATTERN)


class OrderLineInput(Input):
    product_id: str = Field(min_length=1, max_length=100)
    quantity: int = Field(gt=0, le=1_000_000)


class PurchaseOrderInput(Input):
    client_reference: str = Field(min_length=1, max_length=100)
    buyer: BuyerInput
    lines: list[OrderLineInput] = Field(min_length=1, max_length=100)


class RfqInput(Input):
    bumn_id: str = Field(min_length=1)
    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=2_000)
    kbli: str = Field(pattern=KBLI_PATTERN)
    region_code: str | None = Field(default=None, pattern=REGION_PATTERN)
    quantity: int = Field(gt=0, le=10_000_000)
    unit: str = Field(min_length=1, max_length=30)
    deadline: dt.date
    client_reference: str | None = Field(default=None, min_length=1, max_length=100)


class QuotationInput(Input):
    rfq_id: int = Field(gt=0)
    umkm_id: str = Field(min_length=1)
    unit_price: int = Field(gt=0, le=10_000_000_000)
    quantity: int = Field(gt=0, le=10_000_000)
    delivery_days: int = Field(ge=1, le=365)
    note: str = Field(default="", max_length=1_000)


class ProductUpsert(Input):
    """Body of ``PUT /admin/products/{id}``."""

    umkm_id: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=200)
    category: str = Field(min_length=1)
    unit: str = Field(min_length=1, max_length=30)
    price: int = Field(gt=0)
    stock: int = Field(ge=0)
    min_order: int = Field(default=1, ge=1)
    description: str = Field(default="", max_length=2_000)


SpendGroup = Literal["REGION", "SCALE", "MONTH", "BUMN"]
