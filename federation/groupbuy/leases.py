"""A closer's leases on group buys, in the hub database.

A closer claims the group buys due now and holds each for ``lease`` seconds, renewing
at every step; one whose closer died (a killed hub) is due again when its lease runs out.
On PostgreSQL claims use ``FOR UPDATE SKIP LOCKED``, so replicas claim side by side and
never the same group buy; on SQLite ``BEGIN IMMEDIATE`` serialises them.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from federation.groupbuy.model import GroupBuyState
from federation.groupbuy.store import Clock
from federation.groupbuy.tables import group_buys
from federation.orders.database import is_postgres


class Leases:
    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    async def claim(self, owner: str, lease: float, limit: int = 10) -> list[str]:
        """Group buys a closer should act on now, leased to ``owner`` for ``lease`` seconds:
        OPEN ones past their closing time, and CLOSING ones (placing or following an order).

        A lease that ran out (its closer died) makes the group buy due again. On
        PostgreSQL, ``SKIP LOCKED`` lets replicas claim side by side.
        """
        now = self.clock()
        c = group_buys.c
        due = and_(
            or_(
                and_(c.status == GroupBuyState.OPEN, c.closes_at <= now),
                c.status == GroupBuyState.CLOSING,
            ),
            or_(c.locked_until.is_(None), c.locked_until <= now),
        )
        query = select(c.id).where(due).order_by(c.closes_at).limit(limit)
        if is_postgres(self.engine):
            query = query.with_for_update(skip_locked=True)
        async with self.engine.begin() as conn:
            ids = [row.id for row in await conn.execute(query)]
            if ids:
                await conn.execute(
                    update(group_buys)
                    .where(c.id.in_(ids))
                    .values(locked_by=owner, locked_until=now + lease)
                )
        return ids

    async def renew(self, group_buy_id: str, owner: str, lease: float) -> bool:
        """Extend a lease ``owner`` still holds; False when another closer took over."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(group_buys)
                .where(group_buys.c.id == group_buy_id, group_buys.c.locked_by == owner)
                .values(locked_until=self.clock() + lease)
            )
        return bool(result.rowcount)

    async def release(self, group_buy_id: str, owner: str, delay: float) -> None:
        """Give the group buy back, due again to any closer after ``delay`` seconds."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(group_buys)
                .where(group_buys.c.id == group_buy_id, group_buys.c.locked_by == owner)
                .values(locked_by=None, locked_until=self.clock() + delay)
            )
