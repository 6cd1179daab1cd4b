"""Reading and writing the RFQ board: each change is one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.records import Scale
from federation.errors import ConflictError
from federation.idempotency import RequestKey, key_columns, made_under
from federation.procurement.model import (
    Award,
    AwardStatus,
    Invitation,
    NativeOrder,
    Organisation,
    OrgKind,
    Quote,
    QuoteLine,
    QuoteStatus,
    Rfq,
    RfqItem,
    RfqStatus,
)
from federation.procurement.tables import (
    awards,
    invitations,
    native_orders,
    quote_lines,
    quotes,
    rfq_items,
    rfqs,
)


class ProcurementStore:
    """The hub database's RFQs, invitations, quotes and awards."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def create_rfq(self, rfq: Rfq, key: RequestKey | None = None) -> Rfq:
        """Write an RFQ with its items and invitations; or, when another request with the
        same buyer and idempotency ``key`` wrote one first, return that one."""
        try:
            await self._insert_rfq(rfq, key)
        except IntegrityError:
            existing = None if key is None else await self.find_rfq_by_key(rfq.buyer_id, key)
            if existing is None:
                raise
            return existing
        return rfq

    async def find_rfq_by_key(self, buyer_id: str, key: RequestKey) -> Rfq | None:
        """The RFQ ``buyer_id`` published under ``key``; ConflictError when that was
        another request."""
        made = await made_under(self.engine, rfqs, key, (rfqs.c.buyer_id == buyer_id,), "RFQ")
        return None if made is None else (await self.load_rfqs([made]))[0]

    async def _insert_rfq(self, rfq: Rfq, key: RequestKey | None) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(rfqs).values(
                    id=rfq.id,
                    buyer_id=rfq.buyer_id,
                    buyer_name=rfq.buyer_name,
                    title=rfq.title,
                    description=rfq.description,
                    delivery_region_code=rfq.delivery_region_code,
                    deadline=rfq.deadline,
                    prefer_small=rfq.prefer_small,
                    status=rfq.status,
                    created_at=rfq.created_at,
                    **key_columns(key),
                )
            )
            await conn.execute(
                insert(rfq_items), [{"rfq_id": rfq.id, **vars(item)} for item in rfq.items]
            )
            if rfq.invitations:
                await conn.execute(
                    insert(invitations),
                    [{"rfq_id": rfq.id, **vars(i)} for i in rfq.invitations],
                )

    async def load_rfqs(self, rfq_ids: Sequence[str]) -> list[Rfq]:
        """RFQs with their items and invitations, in the order of ``rfq_ids``."""
        if not rfq_ids:
            return []
        async with self.engine.connect() as conn:
            heads = (await conn.execute(select(rfqs).where(rfqs.c.id.in_(rfq_ids)))).all()
            items = (
                await conn.execute(
                    select(rfq_items)
                    .where(rfq_items.c.rfq_id.in_(rfq_ids))
                    .order_by(rfq_items.c.position)
                )
            ).all()
            invited = (
                await conn.execute(
                    select(invitations)
                    .where(invitations.c.rfq_id.in_(rfq_ids))
                    .order_by(invitations.c.id)
                )
            ).all()
        by_id = {row.id: row for row in heads}
        return [_rfq(by_id[i], items, invited) for i in rfq_ids if i in by_id]

    async def rfq_ids(
        self,
        caller: Organisation,
        *,
        status: RfqStatus | None,
        first: int,
        after: tuple[float, str] | None,
    ) -> list[str]:
        """Newest first, the RFQs ``caller`` may see: a BUMN's own, a supplier's invited."""
        query = select(rfqs.c.id).order_by(rfqs.c.created_at.desc(), rfqs.c.id.desc())
        if caller.kind is OrgKind.BUMN:
            query = query.where(rfqs.c.buyer_id == caller.id)
        else:
            invited = select(invitations.c.rfq_id).where(invitations.c.nib == caller.id)
            query = query.where(rfqs.c.id.in_(invited))
        if status is not None:
            query = query.where(rfqs.c.status == status)
        if after is not None:
            created, last_id = after
            query = query.where(
                or_(
                    rfqs.c.created_at < created,
                    and_(rfqs.c.created_at == created, rfqs.c.id < last_id),
                )
            )
        async with self.engine.connect() as conn:
            return [row.id for row in await conn.execute(query.limit(first))]

    async def add_quote(self, quote: Quote) -> None:
        """Write a quote; ConflictError when the supplier already quoted on the RFQ."""
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    insert(quotes).values({k: v for k, v in vars(quote).items() if k != "lines"})
                )
                await conn.execute(
                    insert(quote_lines),
                    [{"quote_id": quote.id, **vars(line)} for line in quote.lines],
                )
        except IntegrityError:
            raise ConflictError(
                "your organisation has already quoted on this RFQ: one quote per supplier"
            ) from None

    async def quotes(self, rfq_id: str, nib: str | None = None) -> list[Quote]:
        """The RFQ's quotes (only ``nib``'s when given), oldest first."""
        found = (await self.quotes_for([rfq_id])).get(rfq_id, [])
        return [q for q in found if nib is None or q.nib == nib]

    async def quotes_for(self, rfq_ids: Sequence[str]) -> dict[str, list[Quote]]:
        """Every quote of each RFQ, oldest first, by RFQ id: two reads for any number."""
        query = select(quotes).where(quotes.c.rfq_id.in_(rfq_ids))
        async with self.engine.connect() as conn:
            heads = (await conn.execute(query.order_by(quotes.c.created_at, quotes.c.id))).all()
            lines = (
                await conn.execute(
                    select(quote_lines)
                    .where(quote_lines.c.quote_id.in_([h.id for h in heads]))
                    .order_by(quote_lines.c.position)
                )
            ).all()
        found: dict[str, list[Quote]] = {}
        for head in heads:
            found.setdefault(head.rfq_id, []).append(_quote(head, lines))
        return found

    async def begin_award(self, award: Award) -> None:
        """Write the award, mark the RFQ AWARDED and its quotes, all at once.

        ConflictError when the RFQ is no longer OPEN or another award got there first
        (the unique ``rfq_id`` settles races between replicas).
        """
        try:
            async with self.engine.begin() as conn:
                moved = await conn.execute(
                    update(rfqs)
                    .where(rfqs.c.id == award.rfq_id, rfqs.c.status == RfqStatus.OPEN)
                    .values(status=RfqStatus.AWARDED)
                )
                if moved.rowcount != 1:
                    raise ConflictError("this RFQ has already been awarded")
                await conn.execute(
                    insert(awards).values(
                        id=award.id,
                        rfq_id=award.rfq_id,
                        quote_id=award.quote_id,
                        buyer_id=award.buyer_id,
                        network=award.network,
                        scale=award.scale,
                        status=award.status,
                        total=award.total,
                        created_at=award.created_at,
                    )
                )
                await conn.execute(
                    update(quotes)
                    .where(quotes.c.rfq_id == award.rfq_id)
                    .values(status=QuoteStatus.REJECTED)
                )
                await conn.execute(
                    update(quotes)
                    .where(quotes.c.id == award.quote_id)
                    .values(status=QuoteStatus.AWARDED)
                )
        except IntegrityError:
            raise ConflictError("this RFQ has already been awarded") from None

    async def finish_award(
        self,
        award_id: str,
        status: AwardStatus,
        *,
        order_id: str | None = None,
        orders: Sequence[NativeOrder] = (),
        failure_reason: str | None = None,
    ) -> None:
        """Record how issuing the award's purchase order ended (or where it stands)."""
        async with self.engine.begin() as conn:
            values: dict[str, Any] = {"status": status, "failure_reason": failure_reason}
            if order_id is not None:
                values["order_id"] = order_id
            await conn.execute(update(awards).where(awards.c.id == award_id).values(values))
            known = {
                row.position
                for row in await conn.execute(
                    select(native_orders.c.position).where(native_orders.c.award_id == award_id)
                )
            }
            fresh = [o for o in orders if o.position not in known]
            if fresh:
                await conn.execute(
                    insert(native_orders), [{"award_id": award_id, **vars(o)} for o in fresh]
                )

    async def award_for(self, rfq_id: str) -> Award | None:
        """The RFQ's award with PaDi's purchase orders, if it has one."""
        return (await self.awards_for([rfq_id])).get(rfq_id)

    async def awards_for(self, rfq_ids: Sequence[str]) -> dict[str, Award]:
        """Each RFQ's award with PaDi's purchase orders, by RFQ id, in two reads."""
        if not rfq_ids:
            return {}
        async with self.engine.connect() as conn:
            heads = (await conn.execute(select(awards).where(awards.c.rfq_id.in_(rfq_ids)))).all()
            natives = (
                await conn.execute(
                    select(native_orders)
                    .where(native_orders.c.award_id.in_([h.id for h in heads]))
                    .order_by(native_orders.c.position)
                )
            ).all()
        return {
            head.rfq_id: Award(
                id=head.id,
                rfq_id=head.rfq_id,
                quote_id=head.quote_id,
                buyer_id=head.buyer_id,
                network=head.network,
                scale=Scale(head.scale),
                status=AwardStatus(head.status),
                total=head.total,
                created_at=head.created_at,
                order_id=head.order_id,
                native_orders=tuple(
                    NativeOrder(r.position, r.network, r.order_id, r.total)
                    for r in natives
                    if r.award_id == head.id
                ),
                failure_reason=head.failure_reason,
            )
            for head in heads
        }


def _rfq(head: Any, items: Sequence[Any], invited: Sequence[Any]) -> Rfq:
    return Rfq(
        id=head.id,
        buyer_id=head.buyer_id,
        buyer_name=head.buyer_name,
        title=head.title,
        description=head.description,
        delivery_region_code=head.delivery_region_code,
        deadline=head.deadline,
        prefer_small=bool(head.prefer_small),
        status=RfqStatus(head.status),
        created_at=head.created_at,
        items=tuple(
            RfqItem(r.position, r.description, r.kbli, r.quantity, r.unit, r.native_rfq_id)
            for r in items
            if r.rfq_id == head.id
        ),
        invitations=tuple(
            Invitation(
                r.nib, r.network, r.supplier_id, r.supplier_name, Scale(r.scale), r.region_code
            )
            for r in invited
            if r.rfq_id == head.id
        ),
    )


def _quote(head: Any, lines: Sequence[Any]) -> Quote:
    return Quote(
        id=head.id,
        rfq_id=head.rfq_id,
        nib=head.nib,
        network=head.network,
        supplier_id=head.supplier_id,
        supplier_name=head.supplier_name,
        scale=Scale(head.scale),
        delivery_days=head.delivery_days,
        note=head.note,
        status=QuoteStatus(head.status),
        total=head.total,
        created_at=head.created_at,
        lines=tuple(
            QuoteLine(
                r.position, r.product_id, r.native_quote_id, r.unit_price, r.quantity, r.amount
            )
            for r in lines
            if r.quote_id == head.id
        ),
    )
