"""PaDi's own shapes (camelCase GraphQL fields) and how they become canonical records."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from connectors.records import (
    Certification,
    CertificationKind,
    CooperativeRecord,
    OrderLineRecord,
    OrderRecord,
    OrderRequest,
    OrderStatus,
    ProductRecord,
    Scale,
    SupplierRecord,
)

T = TypeVar("T")

PadiScale = Literal["MIKRO", "KECIL", "MENENGAH", "BESAR"]
PadiCertification = Literal["HALAL", "SNI", "PIRT", "BPOM"]
PadiOrderStatus = Literal["CREATED", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED"]
PadiCooperativeType = Literal["KONSUMEN", "PRODUSEN", "SERBA_USAHA", "SIMPAN_PINJAM", "PESANTREN"]


class Native(BaseModel):
    """An object as PaDi answers it: strict types, so a string rupiah is a protocol error."""

    model_config = ConfigDict(alias_generator=to_camel, frozen=True, strict=True)


class NativePage(Native, Generic[T]):
    items: list[T]
    total: int


class Answer(Native, Generic[T]):
    """``data`` of an operation whose one root field is aliased ``result``."""

    result: T


class NativeProduct(Native):
    id: str
    umkm_id: str
    name: str
    category: str
    unit: str
    price: int  # Rupiah: a JSON integer
    stock: int
    min_order: int
    description: str
    region_code: str

    def record(self, network: str) -> ProductRecord:
        return ProductRecord(
            network=network,
            id=self.id,
            name=self.name,
            category=self.category,
            unit=self.unit,
            price=self.price,
            stock=self.stock,
            min_order=self.min_order,
            supplier_id=self.umkm_id,
            region_code=self.region_code,
            description=self.description,
        )


class NativeCertification(Native):
    type: PadiCertification
    number: str


class NativeUmkm(Native):
    id: str
    nib: str
    name: str
    kbli: str
    kbli_codes: list[str]
    scale: PadiScale
    certifications: list[NativeCertification]
    region_code: str
    verified: bool

    def record(self, network: str) -> SupplierRecord:
        return SupplierRecord(
            network=network,
            id=self.id,
            nib=self.nib,
            name=self.name,
            region_code=self.region_code,
            kbli=tuple(dict.fromkeys([self.kbli, *self.kbli_codes])),
            scale=Scale(self.scale.lower()),
            certifications=tuple(
                Certification(CertificationKind(c.type.lower()), c.number or None)
                for c in self.certifications
            ),
            verified=self.verified,
        )


class NativeCooperative(Native):
    id: str
    name: str
    type: PadiCooperativeType
    region_code: str
    member_count: int

    def record(self, network: str) -> CooperativeRecord:
        return CooperativeRecord(
            network=network,
            id=self.id,
            name=self.name,
            type=self.type.lower(),
            region_code=self.region_code,
            member_count=self.member_count,
        )


class NativeInput(Native):
    """An input PaDi is sent: built from Python names, sent with PaDi's camelCase ones."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)


class NativeBuyerInput(NativeInput):
    name: str
    organization_id: str
    home_network: str
    delivery_region_code: str


class NativeOrderLineInput(NativeInput):
    product_id: str
    quantity: int


class NativePurchaseOrderInput(NativeInput):
    """``CreatePurchaseOrderInput``: ``clientReference`` makes placing idempotent."""

    client_reference: str
    buyer: NativeBuyerInput
    lines: list[NativeOrderLineInput]

    @classmethod
    def of(cls, request: OrderRequest) -> NativePurchaseOrderInput:
        buyer = request.buyer
        return cls(
            client_reference=request.reference,
            buyer=NativeBuyerInput(
                name=buyer.name,
                organization_id=buyer.organization_id,
                home_network=buyer.home_network,
                delivery_region_code=buyer.delivery_region_code,
            ),
            lines=[
                NativeOrderLineInput(product_id=x.product_id, quantity=x.quantity)
                for x in request.lines
            ],
        )

    def variables(self) -> dict[str, object]:
        return {"input": self.model_dump(by_alias=True)}


class NativeOrderLine(Native):
    line_no: int
    product_id: str | None  # None on lines of an awarded RFQ, which name no product
    quantity: int
    unit_price: int  # Rupiah
    amount: int


class NativePurchaseOrder(Native):
    id: str
    client_reference: str | None
    status: PadiOrderStatus
    lines: list[NativeOrderLine]
    total: int

    def record(self, network: str) -> OrderRecord:
        """PaDi's statuses are the canonical ones; lines in PaDi's ``lineNo`` order."""
        return OrderRecord(
            network=network,
            id=self.id,
            reference=self.client_reference or "",
            status=OrderStatus(self.status),
            lines=tuple(
                OrderLineRecord(
                    product_id=line.product_id or "",
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                )
                for line in sorted(self.lines, key=_line_no)
            ),
            total=self.total,
        )


def _line_no(line: NativeOrderLine) -> int:
    return line.line_no
