"""Tangerang's answers as pydantic models, and their canonical records."""

from __future__ import annotations

import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter

from connectors.records import (
    Certification,
    CertificationKind,
    CooperativeRecord,
    ProductRecord,
    Scale,
    SupplierRecord,
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
