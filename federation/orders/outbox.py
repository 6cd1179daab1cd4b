"""The outbox: work the hub has promised to do, leased to one worker at a time.

A crash between writing intent and acting on it loses nothing: the row stays until a
worker finishes it, and a lease that runs out (its worker died) makes it due again. On
PostgreSQL claims use ``FOR UPDATE SKIP LOCKED`` so replicas share the outbox.
"""

from __future__ import annotations

import time

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from federation.orders.database import is_postgres
from federation.orders.tables import outbox


class Outbox:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def enqueue(self, order_id: str, task: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(outbox).values(
                    order_id=order_id, task=task, available_at=time.time(), attempts=0
                )
            )

    async def claim(
        self,
        worker: str,
        lease: float,
        limit: int = 10,
        order_id: str | None = None,
        min_age: float = 0.0,
    ) -> list[tuple[int, str, str]]:
        """Due outbox tasks (id, order id, task), leased to ``worker`` for ``lease`` seconds.

        A task whose lease ran out (its worker died) is due again. ``min_age`` leaves
        tasks younger than that to the request that wrote them.
        """
        now = time.time()
        due = and_(
            outbox.c.done_at.is_(None),
            outbox.c.available_at <= now - min_age,
            or_(outbox.c.locked_until.is_(None), outbox.c.locked_until < now),
        )
        if order_id is not None:
            due = and_(due, outbox.c.order_id == order_id)
        query = (
            select(outbox.c.id, outbox.c.order_id, outbox.c.task).where(due).order_by(outbox.c.id)
        )
        query = query.limit(limit)
        if is_postgres(self.engine):
            query = query.with_for_update(skip_locked=True)
        async with self.engine.begin() as conn:
            rows = (await conn.execute(query)).all()
            if rows:
                await conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_([r.id for r in rows]))
                    .values(
                        locked_by=worker,
                        locked_until=now + lease,
                        attempts=outbox.c.attempts + 1,
                    )
                )
        return [(r.id, r.order_id, r.task) for r in rows]

    async def renew(self, task_id: int, worker: str, lease: float) -> bool:
        """Extend a lease this worker still holds; False when it lost it."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(outbox)
                .where(outbox.c.id == task_id, outbox.c.locked_by == worker)
                .values(locked_until=time.time() + lease)
            )
        return bool(result.rowcount)

    async def finish(self, task_id: int) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(outbox).where(outbox.c.id == task_id).values(done_at=time.time())
            )

    async def release(self, task_id: int, delay: float) -> None:
        """Give a task back, to be tried again after ``delay`` seconds."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == task_id)
                .values(locked_by=None, locked_until=None, available_at=time.time() + delay)
            )
