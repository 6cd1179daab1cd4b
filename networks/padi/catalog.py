"""Reading PaDi's catalog: UMKM, products, koperasi, BUMN and the product change log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Result,
    Select,
    and_,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from networks.common.catalog import CATEGORY_BY_SLUG
from networks.padi import tables
from networks.padi.errors import INVALID_INPUT, NOT_FOUND, PadiError
from networks.padi.paging import Paging
from networks.padi.records import (
    BumnRecord,
    ChangePage,
    ChangeRecord,
    CooperativeRecord,
    Page,
    ProductRecord,
    ProductUpsert,
    UmkmRecord,
)

MAX_BATCH = 100


@dataclass(frozen=True)
class UmkmFilter:
    text: str | None = None
    region_codes: Sequence[str] | None = None
    kbli: str | None = None
    scale: str | None = None
    certifications: Sequence[str] | None = None
    verified_only: bool = False


@dataclass(frozen=True)
class ProductFilter:
    text: str | None = None
    category: str | None = None
    umkm_id: str | None = None
    region_code: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None


@dataclass(frozen=True)
class CooperativeFilter:
    text: str | None = None
    type: str | None = None
    region_code: str | None = None
    role: str | None = None


def inserted_id(result: Result[Any]) -> int:
    """The primary key of the row an INSERT just made."""
    key = cast(CursorResult[Any], result).inserted_primary_key
    assert key is not None
    return int(key[0])


def like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def check_batch(ids: Sequence[str]) -> None:
    if len(ids) > MAX_BATCH:
        raise PadiError(INVALID_INPUT, f"at most {MAX_BATCH} ids per batch")


async def paged(
    session: AsyncSession, query: Select[Any], paging: Paging, order: Any
) -> tuple[list[Any], int]:
    """One page of ``query``'s rows and the total count."""
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(query.order_by(order).limit(paging.size).offset(paging.offset))
    return list(rows.mappings()), int(total or 0)


def page_of(items: list[Any], paging: Paging, total: int) -> Page[Any]:
    return Page[Any](
        items=items,
        page=paging.page,
        size=paging.size,
        total=total,
        total_pages=paging.total_pages(total),
    )


def umkm_record(row: Any) -> UmkmRecord:
    return UmkmRecord.model_validate(dict(row))


def product_record(row: Any) -> ProductRecord:
    return ProductRecord.model_validate(dict(row))


async def umkms_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, UmkmRecord]:
    """The UMKM among ``ids`` that exist, by id."""
    if not ids:
        return {}
    rows = await session.execute(select(tables.umkms).where(tables.umkms.c.id.in_(set(ids))))
    return {row["id"]: umkm_record(row) for row in rows.mappings()}


async def umkms_by_nibs(session: AsyncSession, nibs: Sequence[str]) -> dict[str, UmkmRecord]:
    """The UMKM registered under ``nibs`` (a NIB names at most one), by NIB."""
    if not nibs:
        return {}
    rows = await session.execute(select(tables.umkms).where(tables.umkms.c.nib.in_(set(nibs))))
    return {row["nib"]: umkm_record(row) for row in rows.mappings()}


async def search_umkms(session: AsyncSession, flt: UmkmFilter, paging: Paging) -> Page[UmkmRecord]:
    """UMKM matching every given filter, by id."""
    u = tables.umkms.c
    conditions: list[ColumnElement[bool]] = []
    if flt.text:
        conditions.append(or_(u.name.ilike(like(flt.text), escape="\\"), u.nib == flt.text))
    if flt.region_codes:
        conditions.append(u.region_code.in_(list(flt.region_codes)))
    if flt.kbli:
        codes = func.json_each(u.kbli_codes).table_valued("value").alias("kbli_code")
        conditions.append(exists(select(1).select_from(codes).where(codes.c.value == flt.kbli)))
    if flt.scale:
        conditions.append(u.scale == flt.scale)
    for number, certification in enumerate(flt.certifications or ()):
        held = func.json_each(u.certifications).table_valued("value").alias(f"cert_{number}")
        kind = func.json_extract(held.c.value, "$.type")
        conditions.append(exists(select(1).select_from(held).where(kind == certification)))
    if flt.verified_only:
        conditions.append(u.verified.is_(True))
    query = select(tables.umkms).where(and_(True, *conditions))
    rows, total = await paged(session, query, paging, u.id)
    return page_of([umkm_record(r) for r in rows], paging, total)


async def products_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, ProductRecord]:
    """The live (not deleted) products among ``ids``, by id."""
    if not ids:
        return {}
    p = tables.products.c
    rows = await session.execute(
        select(tables.products).where(p.id.in_(set(ids)), p.deleted.is_(False))
    )
    return {row["id"]: product_record(row) for row in rows.mappings()}


async def search_products(
    session: AsyncSession, flt: ProductFilter, paging: Paging
) -> Page[ProductRecord]:
    """Live products matching every given filter, by id."""
    p = tables.products.c
    conditions: list[ColumnElement[bool]] = [p.deleted.is_(False)]
    if flt.text:
        conditions.append(p.name.ilike(like(flt.text), escape="\\"))
    if flt.category:
        conditions.append(p.category == flt.category)
    if flt.umkm_id:
        conditions.append(p.umkm_id == flt.umkm_id)
    if flt.region_code:
        conditions.append(p.region_code == flt.region_code)
    if flt.min_price is not None:
        conditions.append(p.price >= flt.min_price)
    if flt.max_price is not None:
        conditions.append(p.price <= flt.max_price)
    if flt.in_stock is True:
        conditions.append(p.stock > 0)
    elif flt.in_stock is False:
        conditions.append(p.stock == 0)
    query = select(tables.products).where(*conditions)
    rows, total = await paged(session, query, paging, p.id)
    return page_of([product_record(r) for r in rows], paging, total)


def cooperative_record(row: Any) -> CooperativeRecord:
    return CooperativeRecord.model_validate(dict(row))


async def cooperatives_by_ids(
    session: AsyncSession, ids: Sequence[str]
) -> dict[str, CooperativeRecord]:
    """The koperasi among ``ids`` that exist, by id."""
    if not ids:
        return {}
    c = tables.cooperatives.c
    rows = await session.execute(select(tables.cooperatives).where(c.id.in_(set(ids))))
    return {row["id"]: cooperative_record(row) for row in rows.mappings()}


async def search_cooperatives(
    session: AsyncSession, flt: CooperativeFilter, paging: Paging
) -> Page[CooperativeRecord]:
    """Koperasi registered on PaDi matching every given filter, by id."""
    c = tables.cooperatives.c
    conditions: list[ColumnElement[bool]] = []
    if flt.text:
        conditions.append(c.name.ilike(like(flt.text), escape="\\"))
    if flt.type:
        conditions.append(c.type == flt.type)
    if flt.region_code:
        conditions.append(c.region_code == flt.region_code)
    if flt.role:
        conditions.append(c.role == flt.role)
    query = select(tables.cooperatives).where(and_(True, *conditions))
    rows, total = await paged(session, query, paging, c.id)
    return page_of([cooperative_record(r) for r in rows], paging, total)


async def all_bumns(session: AsyncSession) -> list[BumnRecord]:
    """Every BUMN buying on PaDi, by id."""
    rows = await session.execute(select(tables.bumns).order_by(tables.bumns.c.id))
    return [BumnRecord.model_validate(dict(r)) for r in rows.mappings()]


async def product_changes(
    session: AsyncSession, since: int, up_to: int | None, paging: Paging
) -> ChangePage:
    """Log entries after ``since`` up to ``up_to`` (the current head when not given)."""
    log = tables.product_changes.c
    if since < 0 or (up_to is not None and up_to < since):
        raise PadiError(INVALID_INPUT, "need 0 <= since <= upTo")
    if up_to is None:
        up_to = int(await session.scalar(select(func.coalesce(func.max(log.version), 0))) or 0)
    query = select(tables.product_changes).where(log.version > since, log.version <= up_to)
    rows, total = await paged(session, query, paging, log.version)
    return ChangePage(
        items=[ChangeRecord.model_validate(dict(r)) for r in rows],
        page=paging.page,
        size=paging.size,
        total=total,
        total_pages=paging.total_pages(total),
        up_to=up_to,
    )


async def record_change(session: AsyncSession, product_id: str, kind: str = "CHANGED") -> None:
    """Append one entry to the product change log."""
    await session.execute(insert(tables.product_changes).values(product_id=product_id, kind=kind))


async def upsert_product(
    session: AsyncSession, product_id: str, data: ProductUpsert
) -> tuple[ProductRecord, bool]:
    """Create or replace a product (reviving a deleted one); True when it is new."""
    category = CATEGORY_BY_SLUG.get(data.category)
    if category is None:
        raise PadiError(INVALID_INPUT, f"unknown category {data.category!r}")
    umkm = (await umkms_by_ids(session, [data.umkm_id])).get(data.umkm_id)
    if umkm is None:
        raise PadiError(NOT_FOUND, f"UMKM {data.umkm_id} not found")
    values = {
        "umkm_id": umkm.id,
        "name": data.name,
        "category": category.slug,
        "kbli": category.kbli,
        "unit": data.unit,
        "price": data.price,
        "stock": data.stock,
        "min_order": data.min_order,
        "description": data.description,
        "region_code": umkm.region_code,
        "deleted": False,
    }
    p = tables.products.c
    existing = await session.scalar(select(p.id).where(p.id == product_id))
    if existing is None:
        await session.execute(insert(tables.products).values(id=product_id, **values))
    else:
        await session.execute(update(tables.products).where(p.id == product_id).values(**values))
    await record_change(session, product_id)
    return ProductRecord(id=product_id, **values), existing is None


async def delete_product(session: AsyncSession, product_id: str) -> None:
    """Tombstone a live product; NOT_FOUND when there is none."""
    p = tables.products.c
    result = await session.execute(
        update(tables.products).where(p.id == product_id, p.deleted.is_(False)).values(deleted=True)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise PadiError(NOT_FOUND, f"product {product_id} not found")
    await record_change(session, product_id, "DELETED")
