"""Appending to the two logs: item changes and cooperative transactions."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from networks.tangerang.broadcast import Event
from networks.tangerang.tables import item_changes, transactions
from networks.tangerang.views import transaction_view
from networks.tangerang.web import now_iso


async def log_item_change(session: AsyncSession, item_id: int, kind: str) -> None:
    """Append one row to the item change log (``upsert`` or ``delete``)."""
    await session.execute(
        insert(item_changes).values(item_id=item_id, type=kind, changed_at=now_iso())
    )


async def record_transaction(
    session: AsyncSession,
    outbox: list[Event],
    *,
    type: str,
    amount: int,
    description: str,
    cooperative_id: int | None = None,
    member_id: int | None = None,
    order_id: int | None = None,
    bill_id: int | None = None,
    client_id: str | None = None,
) -> Event:
    """Insert a transaction and queue it for live subscribers once the write commits."""
    result = await session.execute(
        insert(transactions)
        .values(
            cooperative_id=cooperative_id,
            member_id=member_id,
            order_id=order_id,
            bill_id=bill_id,
            client_id=client_id,
            type=type,
            amount=amount,
            description=description,
            occurred_at=now_iso(),
        )
        .returning(*transactions.c)
    )
    row = result.one()
    event = Event(transaction_view(row), client_id)
    outbox.append(event)
    return event
