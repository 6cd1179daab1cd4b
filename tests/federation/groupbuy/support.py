"""Helpers for the group buy tests: a hand-moved clock, a hub over a database, products.

Products are made per test at SEJUK through its admin API, with exactly the stock,
minimum and tiers the test needs, so tests never share stock.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncEngine

from federation.groupbuy.model import GroupBuy, Key
from federation.groupbuy.requests import OpenGroupBuyRequest
from federation.groupbuy.service import GroupBuyService
from federation.groupbuy.store import GroupBuyStore
from federation.hub import Federation
from federation.loaders import Loaders
from federation.orders.database import connect
from federation.orders.service import OrderService
from federation.orders.store import OrderStore
from hub.database import upgrade
from tests.support.live import LiveNetworks

BIG_SUPPLIER = "1"  # SEJUK's Perum Logistik Pangan Nusantara: JUK partners, harga grosir
HOUR = 3600.0
_product_ids = itertools.count(70_001)


class Clock:
    """The time a group buy store sees: starts now, moves only when told."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(frozen=True)
class Hub:
    """One hub process as far as group buys can tell: its engine, orders and group buys."""

    engine: AsyncEngine
    orders: OrderService
    groupbuys: GroupBuyService
    clock: Clock
    federation: Federation

    def loaders(self) -> Loaders:
        """A fresh request's loaders."""
        return Loaders(self.federation)


@asynccontextmanager
async def hub_over(
    federation: Federation, url: str, clock: Clock, *, migrate: bool = True, lease: float = 30.0
) -> AsyncIterator[Hub]:
    """Orders and group buys over ``federation`` on the database at ``url``."""
    if migrate:
        await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    try:
        orders = OrderService(OrderStore(engine), federation, retry_after=0.2)
        groupbuys = GroupBuyService(
            GroupBuyStore(engine, clock), orders, lease=lease, retry_after=0.0, follow_every=0.0
        )
        yield Hub(engine, orders, groupbuys, clock, federation)
    finally:
        await engine.dispose()


def sqlite_url(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder}/hub.sqlite3"


@dataclass(frozen=True)
class Cast:
    """Cooperatives with the roles the tests need (each a (network, id) key)."""

    partners: tuple[Key, ...]  # SEJUK cooperatives with a JUK MoU with BIG_SUPPLIER
    outsider: Key  # a SEJUK cooperative without one
    tangerang: tuple[Key, ...]


async def sejuk_product(
    networks: LiveNetworks,
    *,
    price: int = 10_000,
    stock: int = 1_000,
    min_order: int = 1,
    tiers: Sequence[tuple[int, int]] = ((10, 9_700), (50, 9_400), (200, 9_100)),
    product_id: str | None = None,
) -> Key:
    """A new SEJUK product of BIG_SUPPLIER with exactly these facts (harga grosir tiers),
    or ``product_id`` changed to have them."""
    product_id = product_id or str(next(_product_ids))
    await networks.admin(
        "sejuk",
        "PUT",
        f"/admin/produk/{product_id}",
        {
            "nama": f"Beras Uji {product_id}",
            "kategori": "beras",
            "satuan": "karung",
            "harga": price,
            "stok": stock,
            "minimal_pesan": min_order,
            "pemasok_id": int(BIG_SUPPLIER),
            "harga_grosir": [{"minimal": m, "harga": h} for m, h in tiers],
        },
    )
    return ("sejuk", product_id)


async def open_on(
    hub: Hub,
    product: Key,
    coordinator: Key,
    *,
    target: int | None = None,
    min_quantity: int = 1,
    partners_only: bool = False,
    closes_in: float = HOUR,
) -> GroupBuy:
    """Open a group buy on ``product`` coordinated by ``coordinator``."""
    return await hub.groupbuys.open(
        hub.loaders(),
        OpenGroupBuyRequest(
            coordinator=coordinator,
            coordinator_label=label(coordinator),
            product=product,
            product_label=label(product),
            closes_at=hub.clock() + closes_in,
            target_quantity=target,
            min_quantity=min_quantity,
            partners_only=partners_only,
        ),
    )


async def join(hub: Hub, group_buy: GroupBuy, cooperative: Key, quantity: int) -> GroupBuy:
    return await hub.groupbuys.join(hub.loaders(), group_buy.id, cooperative, quantity)


def label(key: Key) -> str:
    """What a caller would have written (the graph passes global IDs here)."""
    return f"{key[0]}:{key[1]}"
