"""PaDi's GraphQL object types, enums and inputs (the schema's vocabulary)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Any, Generic, NewType, TypeVar, cast

import strawberry

from networks.common.catalog import CATEGORY_BY_SLUG, REGION_BY_CODE
from networks.padi import ids
from networks.padi.context import PadiContext
from networks.padi.records import (
    BumnRecord,
    ChangeRecord,
    CooperativeRecord,
    OrderLineRecord,
    ProductRecord,
    PurchaseOrderRecord,
    QuotationRecord,
    RfqRecord,
    SpendReport,
    UmkmRecord,
)

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
Info = strawberry.Info[PadiContext, None]


Rupiah = NewType("Rupiah", int)


def _parse_rupiah(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Rupiah is a whole number of rupiah")
    return value


RUPIAH_SCALAR = strawberry.scalar(
    name="Rupiah",
    description="A whole number of rupiah, serialized as a JSON integer (may exceed 32 bits).",
    serialize=int,
    parse_value=_parse_rupiah,
)


def described(description: str) -> Callable[[F], F]:
    """``strawberry.field`` with a description, keeping the resolver's type for mypy."""
    return cast(Callable[[F], F], strawberry.field(description=description))


def described_mutation(description: str) -> Callable[[F], F]:
    """``strawberry.mutation`` with a description, keeping the resolver's type for mypy."""
    return cast(Callable[[F], F], strawberry.mutation(description=description))


@strawberry.enum(description="Business scale under PP 7/2021.")
class Scale(Enum):
    MIKRO = "MIKRO"
    KECIL = "KECIL"
    MENENGAH = "MENENGAH"
    BESAR = "BESAR"


@strawberry.enum
class CertificationType(Enum):
    HALAL = "HALAL"
    SNI = "SNI"
    PIRT = "PIRT"
    BPOM = "BPOM"


@strawberry.enum
class CooperativeType(Enum):
    KONSUMEN = "KONSUMEN"
    PRODUSEN = "PRODUSEN"
    SERBA_USAHA = "SERBA_USAHA"
    SIMPAN_PINJAM = "SIMPAN_PINJAM"
    PESANTREN = "PESANTREN"


@strawberry.enum(description="How a koperasi trades on PaDi.")
class CooperativeRole(Enum):
    BUYER = "BUYER"
    SELLER = "SELLER"
    BOTH = "BOTH"


@strawberry.enum
class ChangeKind(Enum):
    CHANGED = "CHANGED"
    DELETED = "DELETED"


@strawberry.enum
class RfqStatus(Enum):
    OPEN = "OPEN"
    AWARDED = "AWARDED"


@strawberry.enum
class QuotationStatus(Enum):
    SUBMITTED = "SUBMITTED"
    AWARDED = "AWARDED"
    REJECTED = "REJECTED"


@strawberry.enum
class PurchaseOrderStatus(Enum):
    CREATED = "CREATED"
    CONFIRMED = "CONFIRMED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


@strawberry.enum
class SpendGroupBy(Enum):
    REGION = "REGION"
    SCALE = "SCALE"
    MONTH = "MONTH"
    BUMN = "BUMN"


@strawberry.type(description="A page of results: page is 1-based.")
class Page(Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int
    total_pages: int


@strawberry.type
class Certification:
    type: CertificationType
    number: str


@strawberry.type(description="An UMKM registered with its NIB from OSS.")
class Umkm:
    id: strawberry.ID
    nib: str
    name: str
    owner_name: str
    kbli: str = strawberry.field(description="Main KBLI 2020 code.")
    kbli_codes: list[str]
    scale: Scale
    certifications: list[Certification]
    region_code: str = strawberry.field(description="Kemendagri code, e.g. 32.73.")
    region_name: str | None
    verified: bool = strawberry.field(description="NIB verified with OSS.")
    founded_year: int

    @classmethod
    def of(cls, r: UmkmRecord) -> Umkm:
        region = REGION_BY_CODE.get(r.region_code)
        return cls(
            id=strawberry.ID(r.id),
            nib=r.nib,
            name=r.name,
            owner_name=r.owner_name,
            kbli=r.kbli,
            kbli_codes=r.kbli_codes,
            scale=Scale(r.scale),
            certifications=[
                Certification(type=CertificationType(c.type), number=c.number)
                for c in r.certifications
            ],
            region_code=r.region_code,
            region_name=region.name if region else None,
            verified=r.verified,
            founded_year=r.founded_year,
        )


@strawberry.type
class Product:
    id: strawberry.ID
    umkm_id: strawberry.ID
    name: str
    category: str
    category_name: str
    kbli: str
    unit: str
    price: Rupiah = strawberry.field(description="Per unit.")
    stock: int
    min_order: int
    description: str
    region_code: str

    @strawberry.field
    async def umkm(self, info: Info) -> Umkm | None:
        found = await info.context.umkm_loader.load(str(self.umkm_id))
        return Umkm.of(found) if found else None

    @classmethod
    def of(cls, r: ProductRecord) -> Product:
        category = CATEGORY_BY_SLUG.get(r.category)
        return cls(
            id=strawberry.ID(r.id),
            umkm_id=strawberry.ID(r.umkm_id),
            name=r.name,
            category=r.category,
            category_name=category.name if category else r.category,
            kbli=r.kbli,
            unit=r.unit,
            price=Rupiah(r.price),
            stock=r.stock,
            min_order=r.min_order,
            description=r.description,
            region_code=r.region_code,
        )


@strawberry.type(description="A koperasi registered on PaDi as buyer, seller or both.")
class Cooperative:
    id: strawberry.ID
    name: str
    type: CooperativeType
    registration_number: str
    region_code: str
    member_count: int
    role: CooperativeRole
    joined_on: str

    @classmethod
    def of(cls, r: CooperativeRecord) -> Cooperative:
        return cls(
            id=strawberry.ID(r.id),
            name=r.name,
            type=CooperativeType(r.type),
            registration_number=r.registration_number,
            region_code=r.region_code,
            member_count=r.member_count,
            role=CooperativeRole(r.role),
            joined_on=r.joined_on,
        )


@strawberry.type(description="A state-owned enterprise buying from UMKM.")
class Bumn:
    id: strawberry.ID
    name: str
    sector: str
    region_code: str

    @classmethod
    def of(cls, r: BumnRecord) -> Bumn:
        return cls(id=strawberry.ID(r.id), name=r.name, sector=r.sector, region_code=r.region_code)


@strawberry.type
class ProductChange:
    version: int
    product_id: strawberry.ID
    kind: ChangeKind

    @described(description="The product as it is now; null once deleted.")
    async def product(self, info: Info) -> Product | None:
        found = await info.context.product_loader.load(str(self.product_id))
        return Product.of(found) if found else None

    @classmethod
    def of(cls, r: ChangeRecord) -> ProductChange:
        return cls(
            version=r.version, product_id=strawberry.ID(r.product_id), kind=ChangeKind(r.kind)
        )


@strawberry.type(description="Changes in (since, upTo]; pass upTo back on later pages.")
class ProductChangePage:
    items: list[ProductChange]
    page: int
    size: int
    total: int
    total_pages: int
    up_to: int


@strawberry.type
class Quotation:
    id: strawberry.ID
    rfq_id: strawberry.ID
    umkm_id: strawberry.ID
    unit_price: Rupiah
    quantity: int
    amount: Rupiah
    delivery_days: int
    note: str
    status: QuotationStatus
    created_at: str

    @strawberry.field
    async def umkm(self, info: Info) -> Umkm | None:
        found = await info.context.umkm_loader.load(str(self.umkm_id))
        return Umkm.of(found) if found else None

    @classmethod
    def of(cls, r: QuotationRecord) -> Quotation:
        return cls(
            id=strawberry.ID(ids.format_id(ids.QUOTATION, r.id)),
            rfq_id=strawberry.ID(ids.format_id(ids.RFQ, r.rfq_id)),
            umkm_id=strawberry.ID(r.umkm_id),
            unit_price=Rupiah(r.unit_price),
            quantity=r.quantity,
            amount=Rupiah(r.unit_price * r.quantity),
            delivery_days=r.delivery_days,
            note=r.note,
            status=QuotationStatus(r.status),
            created_at=r.created_at,
        )


@strawberry.type(description="A BUMN's request for quotation.")
class Rfq:
    id: strawberry.ID
    bumn_id: strawberry.ID
    title: str
    description: str
    kbli: str
    region_code: str | None
    quantity: int
    unit: str
    deadline: dt.date
    status: RfqStatus
    created_at: str
    awarded_quotation_id: strawberry.ID | None

    @classmethod
    def of(cls, r: RfqRecord) -> Rfq:
        awarded = r.awarded_quotation_id
        return cls(
            id=strawberry.ID(ids.format_id(ids.RFQ, r.id)),
            bumn_id=strawberry.ID(r.bumn_id),
            title=r.title,
            description=r.description,
            kbli=r.kbli,
            region_code=r.region_code,
            quantity=r.quantity,
            unit=r.unit,
            deadline=dt.date.fromisoformat(r.deadline),
            status=RfqStatus(r.status),
            created_at=r.created_at,
            awarded_quotation_id=(
                strawberry.ID(ids.format_id(ids.QUOTATION, awarded)) if awarded else None
            ),
        )


@strawberry.type
class Buyer:
    name: str
    organization_id: str
    home_network: str
    delivery_region_code: str


@strawberry.type
class PurchaseOrderLine:
    line_no: int
    product_id: strawberry.ID | None
    umkm_id: strawberry.ID
    description: str
    quantity: int
    unit_price: Rupiah
    amount: Rupiah

    @classmethod
    def of(cls, r: OrderLineRecord) -> PurchaseOrderLine:
        return cls(
            line_no=r.line_no,
            product_id=strawberry.ID(r.product_id) if r.product_id else None,
            umkm_id=strawberry.ID(r.umkm_id),
            description=r.description,
            quantity=r.quantity,
            unit_price=Rupiah(r.unit_price),
            amount=Rupiah(r.amount),
        )


@strawberry.type
class PurchaseOrder:
    id: strawberry.ID
    client_reference: str | None
    status: PurchaseOrderStatus
    buyer: Buyer
    lines: list[PurchaseOrderLine]
    total: Rupiah
    rfq_id: strawberry.ID | None
    bumn_id: strawberry.ID | None
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, r: PurchaseOrderRecord) -> PurchaseOrder:
        return cls(
            id=strawberry.ID(ids.format_id(ids.ORDER, r.id)),
            client_reference=r.client_reference,
            status=PurchaseOrderStatus(r.status),
            buyer=Buyer(
                name=r.buyer.name,
                organization_id=r.buyer.organization_id,
                home_network=r.buyer.home_network,
                delivery_region_code=r.buyer.delivery_region_code,
            ),
            lines=[PurchaseOrderLine.of(line) for line in r.lines],
            total=Rupiah(r.total),
            rfq_id=strawberry.ID(ids.format_id(ids.RFQ, r.rfq_id)) if r.rfq_id else None,
            bumn_id=strawberry.ID(r.bumn_id) if r.bumn_id else None,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )


@strawberry.type
class SpendRow:
    key: str
    amount: Rupiah
    order_count: int


@strawberry.type
class Spend:
    group_by: SpendGroupBy
    rows: list[SpendRow]
    total: Rupiah
    order_count: int

    @classmethod
    def of(cls, r: SpendReport) -> Spend:
        return cls(
            group_by=SpendGroupBy(r.group_by),
            rows=[
                SpendRow(key=x.key, amount=Rupiah(x.amount), order_count=x.order_count)
                for x in r.rows
            ],
            total=Rupiah(r.total),
            order_count=r.order_count,
        )


@strawberry.input
class UmkmFilter:
    text: str | None = None
    region_codes: list[str] | None = None
    kbli: str | None = None
    scale: Scale | None = None
    certifications: list[CertificationType] | None = None
    verified_only: bool = False


@strawberry.input
class ProductFilter:
    text: str | None = None
    category: str | None = None
    umkm_id: strawberry.ID | None = None
    region_code: str | None = None
    min_price: Rupiah | None = None
    max_price: Rupiah | None = None
    in_stock: bool | None = None


@strawberry.input
class CooperativeFilter:
    text: str | None = None
    type: CooperativeType | None = None
    region_code: str | None = None
    role: CooperativeRole | None = None


@strawberry.input
class RfqFilter:
    status: RfqStatus | None = None
    bumn_id: strawberry.ID | None = None
    kbli: str | None = None
    region_code: str | None = None


@strawberry.input
class PurchaseOrderFilter:
    status: PurchaseOrderStatus | None = None
    client_reference: str | None = None


@strawberry.input
class SpendFilter:
    bumn_id: strawberry.ID | None = None
    region_code: str | None = None
    scale: Scale | None = None
    month_from: str | None = strawberry.field(default=None, description="YYYY-MM, inclusive.")
    month_to: str | None = strawberry.field(default=None, description="YYYY-MM, inclusive.")


@strawberry.input
class PublishRfqInput:
    bumn_id: strawberry.ID
    title: str
    kbli: str
    quantity: int
    unit: str
    deadline: dt.date
    description: str = ""
    region_code: str | None = None
    client_reference: str | None = strawberry.field(
        default=None,
        description="Idempotency: the same reference and input return the same RFQ.",
    )


@strawberry.input
class SubmitQuotationInput:
    rfq_id: strawberry.ID
    umkm_id: strawberry.ID
    unit_price: Rupiah
    quantity: int
    delivery_days: int
    note: str = ""


@strawberry.input
class BuyerInput:
    name: str
    organization_id: str
    home_network: str
    delivery_region_code: str


@strawberry.input
class PurchaseOrderLineInput:
    product_id: strawberry.ID
    quantity: int


@strawberry.input
class CreatePurchaseOrderInput:
    client_reference: str = strawberry.field(
        description="Idempotency: the same reference and input return the same order."
    )
    buyer: BuyerInput
    lines: list[PurchaseOrderLineInput]
