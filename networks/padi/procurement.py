"""BUMN procurement: RFQs, UMKM quotations, and awarding one into a purchase order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from networks.padi import tables
from networks.padi.catalog import inserted_id, page_of, paged, umkms_by_ids
from networks.padi.clock import now_iso, today
from networks.padi.errors import INVALID_INPUT, INVALID_STATE, NOT_FOUND, PadiError
from networks.padi.orders import load_order
from networks.padi.paging import Paging
from networks.padi.records import (
    Page,
    PurchaseOrderRecord,
    QuotationInput,
    QuotationRecord,
    RfqInput,
    RfqRecord,
)
from networks.padi.references import made_before, request_hash

RFQ_STATUSES = ("OPEN", "AWARDED")


@dataclass(frozen=True)
class RfqFilter:
    status: str | None = None
    bumn_id: str | None = None
    kbli: str | None = None
    region_code: str | None = None


async def rfqs_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, RfqRecord]:
    """The RFQs among ``ids`` that exist, by id."""
    if not ids:
        return {}
    rows = await session.execute(select(tables.rfqs).where(tables.rfqs.c.id.in_(set(ids))))
    return {row["id"]: _rfq(row) for row in rows.mappings()}


def _rfq(row: Any) -> RfqRecord:
    return RfqRecord.model_validate({k: v for k, v in row.items() if k != "created_by"})


async def search_rfqs(session: AsyncSession, flt: RfqFilter, paging: Paging) -> Page[RfqRecord]:
    """RFQs matching every given filter, newest first."""
    r = tables.rfqs.c
    conditions: list[ColumnElement[bool]] = []
    if flt.status:
        conditions.append(r.status == flt.status)
    if flt.bumn_id:
        conditions.append(r.bumn_id == flt.bumn_id)
    if flt.kbli:
        conditions.append(r.kbli == flt.kbli)
    if flt.region_code:
        conditions.append(r.region_code == flt.region_code)
    query = select(tables.rfqs).where(and_(True, *conditions))
    rows, total = await paged(session, query, paging, r.id.desc())
    return page_of([_rfq(row) for row in rows], paging, total)


async def publish_rfq(session: AsyncSession, client_id: str, data: RfqInput) -> RfqRecord:
    """Open a request for quotation on behalf of a BUMN, or return the one this client
    already opened under the same ``client_reference``."""
    fingerprint = request_hash(data)
    if data.client_reference is not None:
        existing = await made_before(
            session, tables.rfqs, "created_by", client_id, data.client_reference, fingerprint, "RFQ"
        )
        if existing is not None:
            return next(iter((await rfqs_by_ids(session, [existing])).values()))
    bumn = await session.scalar(select(tables.bumns.c.id).where(tables.bumns.c.id == data.bumn_id))
    if bumn is None:
        raise PadiError(NOT_FOUND, f"BUMN {data.bumn_id} not found")
    if data.deadline < today():
        raise PadiError(
            INVALID_INPUT,
            "the deadline has already passed",
            [{"field": "deadline", "problem": "must be today or later"}],
        )
    result = await session.execute(
        insert(tables.rfqs).values(
            bumn_id=data.bumn_id,
            title=data.title,
            description=data.description,
            kbli=data.kbli,
            region_code=data.region_code,
            quantity=data.quantity,
            unit=data.unit,
            deadline=data.deadline.isoformat(),
            status="OPEN",
            created_by=client_id,
            created_at=now_iso(),
            awarded_quotation_id=None,
            client_reference=data.client_reference,
            request_hash=fingerprint,
        )
    )
    created = await rfqs_by_ids(session, [inserted_id(result)])
    return next(iter(created.values()))


def _quotation(row: Any) -> QuotationRecord:
    return QuotationRecord.model_validate(dict(row))


async def quotations_for(session: AsyncSession, rfq_id: int) -> list[QuotationRecord]:
    """Every quotation on an RFQ, in the order they came in."""
    q = tables.quotations.c
    rows = await session.execute(select(tables.quotations).where(q.rfq_id == rfq_id).order_by(q.id))
    return [_quotation(row) for row in rows.mappings()]


async def submit_quotation(session: AsyncSession, data: QuotationInput) -> QuotationRecord:
    """An UMKM's offer on an open RFQ; one per UMKM and RFQ."""
    rfq = (await rfqs_by_ids(session, [data.rfq_id])).get(data.rfq_id)
    if rfq is None:
        raise PadiError(NOT_FOUND, "RFQ not found")
    if rfq.status != "OPEN":
        raise PadiError(INVALID_STATE, f"the RFQ is {rfq.status}, not OPEN")
    if rfq.deadline < today().isoformat():
        raise PadiError(INVALID_STATE, "the RFQ's deadline has passed")
    if data.umkm_id not in await umkms_by_ids(session, [data.umkm_id]):
        raise PadiError(NOT_FOUND, f"UMKM {data.umkm_id} not found")
    if data.quantity > rfq.quantity:
        raise PadiError(
            INVALID_INPUT,
            "a quotation cannot offer more than the RFQ asks for",
            [{"field": "quantity", "problem": f"must be at most {rfq.quantity}"}],
        )
    q = tables.quotations.c
    already = await session.scalar(
        select(q.id).where(q.rfq_id == data.rfq_id, q.umkm_id == data.umkm_id)
    )
    if already is not None:
        raise PadiError(INVALID_STATE, "this UMKM has already quoted on the RFQ")
    result = await session.execute(
        insert(tables.quotations).values(
            rfq_id=data.rfq_id,
            umkm_id=data.umkm_id,
            unit_price=data.unit_price,
            quantity=data.quantity,
            delivery_days=data.delivery_days,
            note=data.note,
            status="SUBMITTED",
            created_at=now_iso(),
        )
    )
    row = (
        (await session.execute(select(tables.quotations).where(q.id == inserted_id(result))))
        .mappings()
        .one()
    )
    return _quotation(row)


async def award_rfq(
    session: AsyncSession, client_id: str, rfq_id: int, quotation_id: int
) -> PurchaseOrderRecord:
    """Award an open RFQ to one quotation: the others are rejected, a PO is created."""
    rfq = (await rfqs_by_ids(session, [rfq_id])).get(rfq_id)
    if rfq is None:
        raise PadiError(NOT_FOUND, "RFQ not found")
    if rfq.status != "OPEN":
        raise PadiError(INVALID_STATE, f"the RFQ is {rfq.status}, not OPEN")
    q = tables.quotations.c
    quotation_row = (
        (
            await session.execute(
                select(tables.quotations).where(q.id == quotation_id, q.rfq_id == rfq_id)
            )
        )
        .mappings()
        .first()
    )
    if quotation_row is None:
        raise PadiError(NOT_FOUND, "quotation not found on this RFQ")
    quotation = _quotation(quotation_row)
    bumn = (
        (await session.execute(select(tables.bumns).where(tables.bumns.c.id == rfq.bumn_id)))
        .mappings()
        .one()
    )
    now = now_iso()
    await session.execute(
        update(tables.quotations).where(q.rfq_id == rfq_id).values(status="REJECTED")
    )
    await session.execute(
        update(tables.quotations).where(q.id == quotation_id).values(status="AWARDED")
    )
    await session.execute(
        update(tables.rfqs)
        .where(tables.rfqs.c.id == rfq_id)
        .values(status="AWARDED", awarded_quotation_id=quotation_id)
    )
    result = await session.execute(
        insert(tables.purchase_orders).values(
            client_id=client_id,
            client_reference=None,
            request_hash=None,
            rfq_id=rfq_id,
            bumn_id=bumn["id"],
            buyer_name=bumn["name"],
            buyer_organization_id=bumn["id"],
            buyer_home_network="padi",
            delivery_region_code=rfq.region_code or bumn["region_code"],
            status="CREATED",
            total=quotation.unit_price * quotation.quantity,
            created_at=now,
            updated_at=now,
        )
    )
    order_id = inserted_id(result)
    await session.execute(
        insert(tables.purchase_order_lines).values(
            order_id=order_id,
            line_no=1,
            product_id=None,
            umkm_id=quotation.umkm_id,
            description=rfq.title,
            quantity=quotation.quantity,
            unit_price=quotation.unit_price,
        )
    )
    order = await load_order(session, order_id)
    assert order is not None
    return order
