"""Canonical records as index rows and back, with their normalised search text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.records import (
    Certification,
    CertificationKind,
    CooperativeRecord,
    PriceTier,
    ProductRecord,
    Scale,
    SupplierRecord,
)
from federation.index import text


def in_stock(stock: int | None) -> bool:
    """Orderable: stock above zero or unknown (as ``federation.filters`` counts it)."""
    return stock is None or stock > 0


def product_row(record: ProductRecord, key: int, generation: int) -> dict[str, Any]:
    return {
        "key": key,
        "network": record.network,
        "id": record.id,
        "name": record.name,
        "description": record.description,
        "category": record.category,
        "unit": record.unit,
        "price": record.price,
        "stock": record.stock,
        "min_order": record.min_order,
        "supplier_id": record.supplier_id,
        "region_code": record.region_code,
        "tiers": [[t.min_quantity, t.unit_price] for t in record.tiers],
        "search_name": text.normalise(record.name),
        "search_body": text.normalise(record.description, record.category.replace("-", " ")),
        "tags": text.tags(
            network=record.network,
            category=record.category,
            region_code=record.region_code,
            in_stock=in_stock(record.stock),
        ),
        "loaded_in": generation,
    }


def product_record(row: Mapping[Any, Any]) -> ProductRecord:
    return ProductRecord(
        network=row["network"],
        id=row["id"],
        name=row["name"],
        category=row["category"],
        unit=row["unit"],
        price=row["price"],
        stock=row["stock"],
        min_order=row["min_order"],
        supplier_id=row["supplier_id"],
        region_code=row["region_code"],
        description=row["description"],
        tiers=tuple(PriceTier(int(q), int(p)) for q, p in row["tiers"]),
    )


def supplier_row(record: SupplierRecord, generation: int) -> dict[str, Any]:
    return {
        "network": record.network,
        "id": record.id,
        "nib": record.nib,
        "name": record.name,
        "region_code": record.region_code,
        "kbli": list(record.kbli),
        "scale": record.scale.value,
        "certifications": [[c.kind.value, c.number] for c in record.certifications],
        "verified": record.verified,
        "partner_cooperative_ids": list(record.partner_cooperative_ids),
        "search_name": text.normalise(record.name),
        "name_key": record.name.casefold(),
        "kbli_text": f" {' '.join(record.kbli)} ",
        "certification_text": f" {' '.join(sorted({c.kind.value for c in record.certifications}))} ",
        "loaded_in": generation,
    }


def supplier_record(row: Mapping[Any, Any]) -> SupplierRecord:
    return SupplierRecord(
        network=row["network"],
        id=row["id"],
        nib=row["nib"],
        name=row["name"],
        region_code=row["region_code"],
        kbli=tuple(row["kbli"]),
        scale=Scale(row["scale"]),
        certifications=tuple(
            Certification(CertificationKind(kind), number) for kind, number in row["certifications"]
        ),
        verified=row["verified"],
        partner_cooperative_ids=tuple(row["partner_cooperative_ids"]),
    )


def cooperative_row(record: CooperativeRecord, generation: int) -> dict[str, Any]:
    return {
        "network": record.network,
        "id": record.id,
        "name": record.name,
        "type": record.type,
        "region_code": record.region_code,
        "member_count": record.member_count,
        "address": record.address,
        "search_name": text.normalise(record.name),
        "name_key": record.name.casefold(),
        "loaded_in": generation,
    }


def cooperative_record(row: Mapping[Any, Any]) -> CooperativeRecord:
    return CooperativeRecord(
        network=row["network"],
        id=row["id"],
        name=row["name"],
        type=row["type"],
        region_code=row["region_code"],
        member_count=row["member_count"],
        address=row["address"],
    )
