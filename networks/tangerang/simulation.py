"""Simulated member purchases at cooperative shops, for a lively transaction stream."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from networks.common.db import Database
from networks.tangerang.broadcast import Broadcaster
from networks.tangerang.ledger import record_transaction
from networks.tangerang.tables import members

_BASKETS = (
    "Belanja sembako di toko koperasi",
    "Beli beras dan minyak goreng",
    "Belanja kebutuhan dapur",
    "Beli gula dan telur",
    "Pembelian token listrik",
)


class ShopSimulator:
    """Each tick, one random member buys something at their cooperative's shop."""

    def __init__(self, db: Database, broadcaster: Broadcaster, seed: int) -> None:
        self._db = db
        self._broadcaster = broadcaster
        self._random = random.Random(f"tangerang-shop:{seed}")

    async def tick(self) -> None:
        """Record one simulated purchase."""
        async with self._broadcaster.publishing() as outbox, self._db.write() as session:
            count = (await session.execute(select(func.count()).select_from(members))).scalar_one()
            if not count:
                return
            member = (
                await session.execute(
                    select(members).where(members.c.id == self._random.randint(1, count))
                )
            ).first()
            if member is None:
                return
            amount = self._random.randrange(15_000, 750_000, 500)
            await record_transaction(
                session,
                outbox,
                type="shop_purchase",
                amount=amount,
                description=self._random.choice(_BASKETS),
                cooperative_id=member.cooperative_id,
                member_id=member.id,
            )
