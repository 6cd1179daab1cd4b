"""Reading and writing orders: every saga step is written before it is taken."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from federation.idempotency import RequestKey, made_under
from federation.orders.model import (
    Order,
    OrderDraft,
    OrderEvent,
    OrderLine,
    OrderState,
    SubOrder,
    SubOrderState,
)
from federation.orders.tables import order_events, order_lines, orders, outbox, sub_orders


class OrderStore:
    """The hub database's orders, sub-orders and events (the outbox: ``outbox.py``)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def create(self, draft: OrderDraft) -> tuple[Order, bool]:
        """Write a new order with its sub-orders and outbox task, or find the one its
        idempotency key already made. True when this call created it.

        Raises ``ConflictError`` when the key was used for a different order.
        """
        existing = await self.find_by_key(draft.buyer_id, draft.idempotency_key, draft.request_hash)
        if existing is not None:
            return existing, False
        order_id = uuid.uuid4().hex
        now = time.time()
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    insert(orders).values(
                        id=order_id,
                        idempotency_key=draft.idempotency_key,
                        request_hash=draft.request_hash,
                        buyer_id=draft.buyer_id,
                        buyer_name=draft.buyer_name,
                        buyer_network=draft.buyer_network,
                        delivery_region_code=draft.delivery_region_code,
                        status=OrderState.PENDING,
                        total=draft.total,
                        created_at=now,
                        updated_at=now,
                    )
                )
                await conn.execute(
                    insert(order_lines),
                    [{"order_id": order_id, **vars(line)} for line in draft.lines],
                )
                await conn.execute(
                    insert(sub_orders),
                    [
                        {
                            "order_id": order_id,
                            "network": network,
                            "reference": f"hub-{order_id}-{network}",
                            "state": SubOrderState.PENDING,
                            "attempts": 0,
                        }
                        for network in draft.networks
                    ],
                )
                await _event(
                    conn, order_id, "CREATED", OrderState.PENDING, "order received", now=now
                )
                await conn.execute(
                    insert(outbox).values(
                        order_id=order_id, task="place", available_at=now, attempts=0
                    )
                )
        except IntegrityError:
            # Another request with the same key won the race: it is that order or a conflict.
            existing = await self.find_by_key(
                draft.buyer_id, draft.idempotency_key, draft.request_hash
            )
            if existing is None:
                raise
            return existing, False
        created = await self.load(order_id)
        assert created is not None
        return created, True

    async def find_by_key(self, buyer_id: str, key: str, request_hash: str) -> Order | None:
        """The order ``buyer_id`` placed under ``key`` (keys are per buyer: another buyer's
        equal key is another key); ConflictError when it was made from another request."""
        whose = (orders.c.buyer_id == buyer_id,)
        made = await made_under(self.engine, orders, RequestKey(key, request_hash), whose, "order")
        return None if made is None else await self.load(made)

    async def load(self, order_id: str) -> Order | None:
        found = await self.load_many([order_id])
        return found[0] if found else None

    async def load_many(self, order_ids: Sequence[str]) -> list[Order]:
        """Orders with their lines, sub-orders and events, in the order of ``order_ids``."""
        if not order_ids:
            return []
        async with self.engine.connect() as conn:
            heads = (await conn.execute(select(orders).where(orders.c.id.in_(order_ids)))).all()
            lines = (
                await conn.execute(
                    select(order_lines)
                    .where(order_lines.c.order_id.in_(order_ids))
                    .order_by(order_lines.c.position)
                )
            ).all()
            subs = (
                await conn.execute(
                    select(sub_orders)
                    .where(sub_orders.c.order_id.in_(order_ids))
                    .order_by(sub_orders.c.id)
                )
            ).all()
            events = (
                await conn.execute(
                    select(order_events)
                    .where(order_events.c.order_id.in_(order_ids))
                    .order_by(order_events.c.id)
                )
            ).all()
        by_id = {row.id: row for row in heads}
        return [_order(by_id[oid], lines, subs, events) for oid in order_ids if oid in by_id]

    async def page(
        self,
        *,
        buyer_id: str | None,
        status: OrderState | None,
        first: int,
        after: tuple[float, str] | None,
    ) -> list[Order]:
        """Newest first; ``after`` is the (created_at, id) of the last order seen."""
        query = select(orders.c.id).order_by(orders.c.created_at.desc(), orders.c.id.desc())
        if buyer_id is not None:
            query = query.where(orders.c.buyer_id == buyer_id)
        if status is not None:
            query = query.where(orders.c.status == status)
        if after is not None:
            created, last_id = after
            query = query.where(
                or_(
                    orders.c.created_at < created,
                    and_(orders.c.created_at == created, orders.c.id < last_id),
                )
            )
        async with self.engine.connect() as conn:
            ids = [row.id for row in await conn.execute(query.limit(first))]
        return await self.load_many(ids)

    async def set_sub_order(self, order_id: str, network: str, **values: Any) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(sub_orders)
                .where(sub_orders.c.order_id == order_id, sub_orders.c.network == network)
                .values(**values)
            )

    async def transition(
        self,
        order_id: str,
        status: OrderState,
        kind: str,
        message: str,
        *,
        network: str | None = None,
        failure_reason: str | None = None,
        total: int | None = None,
    ) -> None:
        """Move the order to ``status`` and record why, in one transaction."""
        now = time.time()
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if failure_reason is not None:
            values["failure_reason"] = failure_reason
        if total is not None:
            values["total"] = total
        async with self.engine.begin() as conn:
            await conn.execute(update(orders).where(orders.c.id == order_id).values(**values))
            await _event(conn, order_id, kind, status, message, network=network, now=now)

    async def record(
        self, order_id: str, kind: str, status: OrderState, message: str, network: str | None
    ) -> None:
        """An event that does not change the order's status (a network's own progress)."""
        async with self.engine.begin() as conn:
            await _event(conn, order_id, kind, status, message, network=network, now=time.time())

    async def tracked(self, limit: int = 200) -> list[Order]:
        """Confirmed orders whose networks may still move them along."""
        query = (
            select(orders.c.id)
            .where(orders.c.status.in_([OrderState.CONFIRMED, OrderState.SHIPPED]))
            .order_by(orders.c.updated_at)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            ids = [row.id for row in await conn.execute(query)]
        return await self.load_many(ids)

    async def recently_ended(self, within: float, limit: int = 200) -> list[Order]:
        """FAILED or CANCELLED orders that ended less than ``within`` seconds ago."""
        query = (
            select(orders.c.id)
            .where(
                orders.c.status.in_([OrderState.FAILED, OrderState.CANCELLED]),
                orders.c.updated_at >= time.time() - within,
            )
            .order_by(orders.c.updated_at)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            ids = [row.id for row in await conn.execute(query)]
        return await self.load_many(ids)

    async def buyer_events_after(
        self, buyer_id: str, event_id: int
    ) -> list[tuple[str, int, OrderEvent]]:
        """(order id, order total, event) for the buyer's orders, oldest first."""
        query = (
            select(order_events, orders.c.total)
            .join(orders, orders.c.id == order_events.c.order_id)
            .where(orders.c.buyer_id == buyer_id, order_events.c.id > event_id)
            .order_by(order_events.c.id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(row.order_id, row.total, _event_of(row)) for row in rows]

    async def last_event_id(self) -> int:
        async with self.engine.connect() as conn:
            found = (await conn.execute(select(func.max(order_events.c.id)))).scalar()
        return int(found or 0)

    async def events_after(self, order_id: str, event_id: int) -> list[OrderEvent]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(order_events)
                    .where(order_events.c.order_id == order_id, order_events.c.id > event_id)
                    .order_by(order_events.c.id)
                )
            ).all()
        return [_event_of(row) for row in rows]


async def _event(
    conn: AsyncConnection,
    order_id: str,
    kind: str,
    status: OrderState,
    message: str,
    *,
    network: str | None = None,
    now: float,
) -> None:
    await conn.execute(
        insert(order_events).values(
            order_id=order_id,
            kind=kind,
            status=status,
            message=message,
            network=network,
            created_at=now,
        )
    )


def _event_of(row: Any) -> OrderEvent:
    return OrderEvent(
        id=row.id,
        kind=row.kind,
        status=OrderState(row.status),
        message=row.message,
        network=row.network,
        created_at=row.created_at,
    )


def _order(head: Any, lines: Sequence[Any], subs: Sequence[Any], events: Sequence[Any]) -> Order:
    return Order(
        id=head.id,
        idempotency_key=head.idempotency_key,
        buyer_id=head.buyer_id,
        buyer_name=head.buyer_name,
        buyer_network=head.buyer_network,
        delivery_region_code=head.delivery_region_code,
        status=OrderState(head.status),
        failure_reason=head.failure_reason,
        total=head.total,
        created_at=head.created_at,
        updated_at=head.updated_at,
        lines=tuple(
            OrderLine(
                position=r.position,
                network=r.network,
                product_id=r.product_id,
                name=r.name,
                unit=r.unit,
                quantity=r.quantity,
                unit_price=r.unit_price,
                amount=r.amount,
            )
            for r in lines
            if r.order_id == head.id
        ),
        sub_orders=tuple(
            SubOrder(
                network=r.network,
                reference=r.reference,
                native_id=r.native_id,
                state=SubOrderState(r.state),
                network_status=r.network_status,
                attempts=r.attempts,
                last_error=r.last_error,
                total=r.total,
            )
            for r in subs
            if r.order_id == head.id
        ),
        events=tuple(_event_of(r) for r in events if r.order_id == head.id),
    )
