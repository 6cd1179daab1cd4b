"""Reading and writing group buys: every change checked and made in one transaction.

A join or withdrawal locks the group buy's row (``FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` serialises writers), checks that it is still open and that stock
covers the new total, and writes the cooperative's one row. Totals are SUMs over those
rows, never a counter read and written back, so two joins at the same instant both count.
A refusal raises inside the transaction: nothing is written.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from connectors.records import PriceTier
from federation.errors import ConflictError, InputError, NotFoundError
from federation.groupbuy.model import (
    Allocation,
    GroupBuy,
    GroupBuyDraft,
    GroupBuyState,
    Key,
    Participant,
)
from federation.groupbuy.requests import GroupBuyFilter
from federation.groupbuy.tables import group_buy_allocations, group_buy_participants, group_buys
from federation.idempotency import RequestKey, key_columns, made_under
from federation.orders.database import is_postgres

Clock = Callable[[], float]


class GroupBuyStore:
    """The hub database's group buys, their participants and allocations."""

    def __init__(self, engine: AsyncEngine, clock: Clock = time.time) -> None:
        self.engine = engine
        self.clock = clock

    async def create(self, draft: GroupBuyDraft) -> GroupBuy:
        """Write a new OPEN group buy with nobody in it yet; or, when another request with
        the same coordinator and idempotency key wrote one first, that one."""
        group_buy_id = uuid.uuid4().hex
        now = self.clock()
        try:
            await self._insert(group_buy_id, draft, now)
        except IntegrityError:
            key = draft.request_key
            existing = None if key is None else await self.find_by_key(draft.coordinator, key)
            if existing is None:
                raise
            return existing
        created = await self.load(group_buy_id)
        assert created is not None
        return created

    async def find_by_key(self, coordinator: Key, key: RequestKey) -> GroupBuy | None:
        """The group buy ``coordinator`` opened under ``key``; ConflictError when that was
        another request."""
        g = group_buys.c
        whose = (g.coordinator_network == coordinator[0], g.coordinator_id == coordinator[1])
        made = await made_under(self.engine, group_buys, key, whose, "group buy")
        return None if made is None else await self.load(made)

    async def _insert(self, group_buy_id: str, draft: GroupBuyDraft, now: float) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(group_buys).values(
                    id=group_buy_id,
                    coordinator_network=draft.coordinator[0],
                    coordinator_id=draft.coordinator[1],
                    coordinator_label=draft.coordinator_label,
                    coordinator_name=draft.coordinator_name,
                    delivery_region_code=draft.delivery_region_code,
                    product_network=draft.product[0],
                    product_id=draft.product[1],
                    product_label=draft.product_label,
                    product_name=draft.product_name,
                    unit=draft.unit,
                    supplier_id=draft.supplier_id,
                    min_order=draft.min_order,
                    tiers=[[t.min_quantity, t.unit_price] for t in draft.tiers],
                    target_quantity=draft.target_quantity,
                    min_quantity=draft.min_quantity,
                    partners_only=draft.partners_only,
                    closes_at=draft.closes_at,
                    status=GroupBuyState.OPEN,
                    version=1,
                    created_at=now,
                    updated_at=now,
                    **key_columns(draft.request_key),
                )
            )

    async def load(self, group_buy_id: str) -> GroupBuy | None:
        found = await self.load_many([group_buy_id])
        return found[0] if found else None

    async def load_many(self, group_buy_ids: Sequence[str]) -> list[GroupBuy]:
        """Group buys with participants and allocations, in the order of the ids."""
        if not group_buy_ids:
            return []
        async with self.engine.connect() as conn:
            heads = (
                await conn.execute(select(group_buys).where(group_buys.c.id.in_(group_buy_ids)))
            ).all()
            members = (
                await conn.execute(
                    select(group_buy_participants)
                    .where(group_buy_participants.c.group_buy_id.in_(group_buy_ids))
                    .order_by(group_buy_participants.c.id)
                )
            ).all()
            shares = (
                await conn.execute(
                    select(group_buy_allocations)
                    .where(group_buy_allocations.c.group_buy_id.in_(group_buy_ids))
                    .order_by(group_buy_allocations.c.id)
                )
            ).all()
        by_id = {row.id: row for row in heads}
        return [_group_buy(by_id[gid], members, shares) for gid in group_buy_ids if gid in by_id]

    async def page(
        self, where: GroupBuyFilter, first: int, after: tuple[float, str] | None
    ) -> list[GroupBuy]:
        """Newest first; ``after`` is the (created_at, id) of the last group buy seen."""
        c = group_buys.c
        query = select(c.id).order_by(c.created_at.desc(), c.id.desc())
        if where.status is not None:
            query = query.where(c.status == where.status)
        if where.product is not None:
            query = query.where(c.product_network == where.product[0])
            query = query.where(c.product_id == where.product[1])
        if where.supplier is not None:
            query = query.where(c.product_network == where.supplier[0])
            query = query.where(c.supplier_id == where.supplier[1])
        if where.coordinator is not None:
            query = query.where(c.coordinator_network == where.coordinator[0])
            query = query.where(c.coordinator_id == where.coordinator[1])
        if where.participant is not None:
            p = group_buy_participants.c
            query = query.where(
                exists().where(
                    p.group_buy_id == c.id,
                    p.network == where.participant[0],
                    p.cooperative_id == where.participant[1],
                )
            )
        if after is not None:
            created, last_id = after
            query = query.where(
                or_(c.created_at < created, and_(c.created_at == created, c.id < last_id))
            )
        async with self.engine.connect() as conn:
            ids = [row.id for row in await conn.execute(query.limit(first))]
        return await self.load_many(ids)

    async def version(self, group_buy_id: str) -> int | None:
        async with self.engine.connect() as conn:
            found = await conn.scalar(
                select(group_buys.c.version).where(group_buys.c.id == group_buy_id)
            )
        return None if found is None else int(found)

    async def commit_join(
        self, group_buy_id: str, cooperative: Key, quantity: int, stock: int | None
    ) -> None:
        """Set ``cooperative``'s quantity (a first join or a change).

        Raises ConflictError when the group buy no longer takes joins, InputError when
        ``stock`` (None: unknown) cannot cover everyone's quantities with this one.
        """
        now = self.clock()
        p = group_buy_participants.c
        mine = and_(
            p.group_buy_id == group_buy_id,
            p.network == cooperative[0],
            p.cooperative_id == cooperative[1],
        )
        async with self.engine.begin() as conn:
            head = await self._lock(conn, group_buy_id)
            _check_takes_changes(head, now)
            others = await _committed(conn, and_(p.group_buy_id == group_buy_id, ~mine))
            if stock is not None and others + quantity > stock:
                room = max(0, stock - others)
                raise InputError(
                    f"{head.product_name}: {stock} {head.unit} in stock and {others} already "
                    f"committed by others, so at most {room} more can join"
                )
            changed = await conn.execute(
                update(group_buy_participants).where(mine).values(quantity=quantity, updated_at=now)
            )
            if not changed.rowcount:
                await conn.execute(
                    insert(group_buy_participants).values(
                        group_buy_id=group_buy_id,
                        network=cooperative[0],
                        cooperative_id=cooperative[1],
                        quantity=quantity,
                        joined_at=now,
                        updated_at=now,
                    )
                )
            await _touch(conn, group_buy_id, now)

    async def remove(self, group_buy_id: str, cooperative: Key, label: str) -> None:
        """Withdraw ``cooperative``; ConflictError when closed, NotFoundError when not in it."""
        now = self.clock()
        p = group_buy_participants.c
        async with self.engine.begin() as conn:
            head = await self._lock(conn, group_buy_id)
            _check_takes_changes(head, now)
            removed = await conn.execute(
                delete(group_buy_participants).where(
                    p.group_buy_id == group_buy_id,
                    p.network == cooperative[0],
                    p.cooperative_id == cooperative[1],
                )
            )
            if not removed.rowcount:
                raise NotFoundError(f"{label} has not joined this group buy: nothing to withdraw")
            await _touch(conn, group_buy_id, now)

    async def begin_closing(self, group_buy_id: str, owner: str, lease: float) -> int:
        """OPEN → CLOSING, leased to ``owner``; the total quantity it closes with.

        Raises ConflictError (nothing written) when it is not OPEN, nobody joined, or the
        total is below the supplier's minimum order.
        """
        now = self.clock()
        p = group_buy_participants.c
        async with self.engine.begin() as conn:
            head = await self._lock(conn, group_buy_id)
            if head.status != GroupBuyState.OPEN:
                raise ConflictError(
                    f"this group buy is {head.status}: only an OPEN group buy can be closed"
                )
            total = await _committed(conn, p.group_buy_id == group_buy_id)
            if total == 0:
                raise ConflictError("nobody has joined this group buy: there is nothing to order")
            if total < head.min_order:
                raise ConflictError(
                    f"{head.product_name}: {total} {head.unit} committed, below the supplier's "
                    f"minimum order of {head.min_order}: more must join before it can close"
                )
            await conn.execute(
                update(group_buys)
                .where(group_buys.c.id == group_buy_id)
                .values(
                    status=GroupBuyState.CLOSING,
                    locked_by=owner,
                    locked_until=now + lease,
                    version=group_buys.c.version + 1,
                    updated_at=now,
                )
            )
        return total

    async def record_order(self, group_buy_id: str, order_id: str) -> None:
        """The aggregate order now exists: follow it from here on."""
        await self._set(group_buy_id, order_id=order_id, last_error=None)

    async def note(self, group_buy_id: str, message: str) -> None:
        """Why closing is waiting, shown until it moves on."""
        await self._set(group_buy_id, last_error=message)

    async def finish(
        self,
        group_buy_id: str,
        status: GroupBuyState,
        allocations: Sequence[Allocation],
        *,
        reason: str | None = None,
        from_status: GroupBuyState = GroupBuyState.CLOSING,
    ) -> bool:
        """Move to CLOSED or FAILED with the allocations, in one transaction.

        False (nothing written) when the group buy was no longer ``from_status``: someone
        else finished it first.
        """
        now = self.clock()
        async with self.engine.begin() as conn:
            moved = await conn.execute(
                update(group_buys)
                .where(group_buys.c.id == group_buy_id, group_buys.c.status == from_status)
                .values(
                    status=status,
                    failure_reason=reason,
                    last_error=None,
                    locked_by=None,
                    locked_until=None,
                    closed_at=now,
                    version=group_buys.c.version + 1,
                    updated_at=now,
                )
            )
            if not moved.rowcount:
                return False
            if allocations:
                await conn.execute(
                    insert(group_buy_allocations),
                    [
                        {
                            "group_buy_id": group_buy_id,
                            "network": a.network,
                            "cooperative_id": a.cooperative_id,
                            "quantity": a.quantity,
                            "unit_price": a.unit_price,
                            "amount": a.amount,
                        }
                        for a in allocations
                    ],
                )
        return True

    async def _set(self, group_buy_id: str, **values: Any) -> None:
        now = self.clock()
        async with self.engine.begin() as conn:
            await conn.execute(
                update(group_buys)
                .where(group_buys.c.id == group_buy_id)
                .values(**values, version=group_buys.c.version + 1, updated_at=now)
            )

    async def _lock(self, conn: AsyncConnection, group_buy_id: str) -> Any:
        query = select(group_buys).where(group_buys.c.id == group_buy_id)
        if is_postgres(self.engine):
            query = query.with_for_update()
        head = (await conn.execute(query)).first()
        if head is None:
            raise NotFoundError(f"no group buy {group_buy_id}")
        return head


def _check_takes_changes(head: Any, now: float) -> None:
    if head.status != GroupBuyState.OPEN:
        raise ConflictError(
            f"this group buy is {head.status}: quantities can only change while it is OPEN"
        )
    if now >= head.closes_at:
        raise ConflictError("this group buy reached its closing time: it takes no more changes")


async def _committed(conn: AsyncConnection, where: ColumnElement[bool]) -> int:
    """The quantity committed by the participant rows ``where`` selects."""
    p = group_buy_participants.c
    found = await conn.scalar(select(func.coalesce(func.sum(p.quantity), 0)).where(where))
    return int(found or 0)


async def _touch(conn: AsyncConnection, group_buy_id: str, now: float) -> None:
    await conn.execute(
        update(group_buys)
        .where(group_buys.c.id == group_buy_id)
        .values(version=group_buys.c.version + 1, updated_at=now)
    )


def _group_buy(head: Any, members: Sequence[Any], shares: Sequence[Any]) -> GroupBuy:
    return GroupBuy(
        id=head.id,
        coordinator=(head.coordinator_network, head.coordinator_id),
        coordinator_label=head.coordinator_label,
        coordinator_name=head.coordinator_name,
        delivery_region_code=head.delivery_region_code,
        product=(head.product_network, head.product_id),
        product_label=head.product_label,
        product_name=head.product_name,
        unit=head.unit,
        supplier_id=head.supplier_id,
        min_order=head.min_order,
        tiers=tuple(PriceTier(int(q), int(price)) for q, price in head.tiers),
        target_quantity=head.target_quantity,
        min_quantity=head.min_quantity,
        partners_only=bool(head.partners_only),
        closes_at=head.closes_at,
        status=GroupBuyState(head.status),
        failure_reason=head.failure_reason,
        last_error=head.last_error,
        order_id=head.order_id,
        version=head.version,
        created_at=head.created_at,
        updated_at=head.updated_at,
        closed_at=head.closed_at,
        participants=tuple(
            Participant(
                network=r.network,
                cooperative_id=r.cooperative_id,
                quantity=r.quantity,
                joined_at=r.joined_at,
                updated_at=r.updated_at,
            )
            for r in members
            if r.group_buy_id == head.id
        ),
        allocations=tuple(
            Allocation(
                network=r.network,
                cooperative_id=r.cooperative_id,
                quantity=r.quantity,
                unit_price=r.unit_price,
                amount=r.amount,
            )
            for r in shares
            if r.group_buy_id == head.id
        ),
    )
