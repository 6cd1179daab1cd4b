"""``CatalogIndex``: what the graph asks of the index, over one engine and one sync."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.base import Connector
from connectors.records import CooperativeRecord, ProductRecord, SupplierRecord
from federation.index import rows, store
from federation.index.cooperatives import (
    IndexCooperativeSearch,
    cooperatives_by_key,
    search_cooperatives,
)
from federation.index.freshness import Freshness, freshness
from federation.index.paging import IndexPage
from federation.index.search import IndexSearch, ProductFacets, product_facets, search_products
from federation.index.suppliers import (
    IndexSupplierSearch,
    listings,
    search_suppliers,
    suppliers_by_key,
)
from federation.index.sync import CatalogSync, ProgressCallback, SyncResult
from federation.index.tables import catalog_products

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (network, the network's own id)
FRESHNESS_CACHE_SECONDS = 1.0  # every search reads it; a second's staleness is fine


class CatalogIndex:
    """The hub's copy of every network's catalogue: searched here, kept fresh by ``sync``.

    ``stale_after`` is how old a network's last successful sync may be before its part of
    the index is reported stale; ``directory_every`` is how often syncs re-read the
    networks' suppliers and cooperatives (see ``CatalogSync``).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        connectors: Sequence[Connector],
        *,
        stale_after: float,
        directory_every: float | None = None,
    ) -> None:
        self.engine = engine
        self.codes = tuple(c.code for c in connectors)
        self.sync = CatalogSync(engine, connectors, directory_every=directory_every)
        self.stale_after = stale_after
        self._freshness: tuple[float, tuple[Freshness, ...]] | None = None

    async def freshness(self) -> tuple[Freshness, ...]:
        """Each network's freshness, in the federation's order."""
        now = time.monotonic()
        if self._freshness is None or now - self._freshness[0] > FRESHNESS_CACHE_SECONDS:
            found = await freshness(self.engine, self.codes, stale_after=self.stale_after)
            self._freshness = (now, found)
        return self._freshness[1]

    async def ready(self) -> bool:
        """Whether every network has been loaded in full once: until then, searches go live."""
        return all(f.full_loaded for f in await self.freshness())

    def forget_freshness(self) -> None:
        """Read freshness again next time (after a sync in this process)."""
        self._freshness = None

    async def sync_now(
        self,
        networks: Sequence[str] | None = None,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
    ) -> tuple[SyncResult, ...]:
        """Sync now (``hub sync``, and the loop below); a network that fails keeps its data."""
        try:
            results = await self.sync.sync(networks, full=full, progress=progress)
        finally:
            self.forget_freshness()
        for result in results:
            if not result.ok:
                log.warning("catalog sync of %s failed: %s", result.network, result.error)
        return results

    @contextlib.asynccontextmanager
    async def kept_fresh(
        self, interval: float, progress: ProgressCallback | None = None
    ) -> AsyncIterator[None]:
        """Within the block: sync at once (the full load, the first time, with ``progress``),
        then every ``interval`` seconds."""
        stop = asyncio.Event()

        async def loop() -> None:
            report = progress
            while not stop.is_set():
                try:
                    await self.sync_now(progress=report)
                except Exception:
                    log.exception("catalog sync pass failed")
                report = None  # bars for the first load only: later passes are small
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            # Not cancelled: a cancelled page write would leave a connection closing in the
            # background. Stopped, a sync ends after its network call in flight.
            self.sync.stop()
            stop.set()
            await task

    async def search(
        self, search: IndexSearch, first: int, after: str | None
    ) -> IndexPage[ProductRecord]:
        return await search_products(self.engine, search, first, after)

    async def facets(self, search: IndexSearch) -> ProductFacets:
        """Counts over the whole result: every page, not just one."""
        return await product_facets(self.engine, search)

    async def suppliers(
        self, search: IndexSupplierSearch, first: int, after: str | None
    ) -> IndexPage[SupplierRecord]:
        return await search_suppliers(self.engine, search, self.codes, first, after)

    async def listings(self, nibs: Sequence[str]) -> dict[str, tuple[SupplierRecord, ...]]:
        """Every network's listing of each NIB, in the federation's order."""
        return await listings(self.engine, nibs, self.codes)

    async def supplier_records(self, keys: Sequence[Key]) -> dict[Key, SupplierRecord]:
        """The supplier listings among ``keys`` as the index holds them."""
        return await suppliers_by_key(self.engine, keys)

    async def cooperatives(
        self, search: IndexCooperativeSearch, first: int, after: str | None
    ) -> IndexPage[CooperativeRecord]:
        """One page of cooperatives by name."""
        return await search_cooperatives(self.engine, search, first, after)

    async def cooperative_records(self, keys: Sequence[Key]) -> dict[Key, CooperativeRecord]:
        """The cooperatives among ``keys`` as the index holds them."""
        return await cooperatives_by_key(self.engine, keys)

    async def products(self, keys: Sequence[Key]) -> dict[Key, ProductRecord]:
        """The products among ``keys`` as the index shows them (what buyers were shown)."""
        if not keys:
            return {}
        c = catalog_products.c
        statement = select(catalog_products).where(tuple_(c.network, c.id).in_(list(keys)))
        async with self.engine.connect() as conn:
            found = (await conn.execute(statement)).mappings().all()
        return {(row["network"], row["id"]): rows.product_record(row) for row in found}

    async def product_counts(self, suppliers: Sequence[Key]) -> dict[Key, int]:
        """How many products each supplier lists, by (network, supplier id)."""
        if not suppliers:
            return {}
        c = catalog_products.c
        statement = (
            select(c.network, c.supplier_id, func.count())
            .where(tuple_(c.network, c.supplier_id).in_(list(suppliers)))
            .group_by(c.network, c.supplier_id)
        )
        async with self.engine.connect() as conn:
            result = await conn.execute(statement)
            return {(network, supplier): int(n) for network, supplier, n in result}

    async def refresh(self, products: Sequence[ProductRecord]) -> None:
        """Write products as their networks answered just now (a buyer found them changed),
        so the index shows the new facts before the next sync."""
        by_network: defaultdict[str, list[ProductRecord]] = defaultdict(list)
        for product in products:
            by_network[product.network].append(product)
        async with self.engine.begin() as conn:
            for network, changed in by_network.items():
                state = await store.read_state(conn, network)
                await store.apply_products(conn, network, changed, (), state.generation)
