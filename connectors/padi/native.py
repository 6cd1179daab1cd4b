"""PaDi's own shapes (camelCase GraphQL fields) and how they become canonical records."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from connectors.records import (
    Certification,
    CertificationKind,
    CooperativeRecord,
    ProductRecord,
    Scale,
    SupplierRecord,
)

T = TypeVar("T")

PadiScale = Literal["MIKRO", "KECIL", "MENENGAH", "BESAR"]
PadiCertification = Literal["HALAL", "SNI", "PIRT", "BPOM"]
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
