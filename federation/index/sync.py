"""Keeping the index in step with the networks: a full load, then their change feeds.

A network's first sync is a *full load*: its change feed replayed from the start (every
product it has arrives as an upsert, later changes and deletions after), then its
suppliers and cooperatives paged through its search. Later syncs read the feed after the
stored marker, and refresh the suppliers of the products that changed. Each page of
changes is written in one transaction together with the marker after it, so a sync that
stops anywhere resumes exactly there, and a full load that fails half-way goes on from
where it stopped next time. A finished full load sweeps the network's rows it did not
write (what the network dropped while the hub was not looking).

Suppliers and cooperatives have no change feed: besides a full load, a sync re-reads a
network's whole directory when ``directory_every`` seconds have passed since this process
last read it (so also at its first sync), and drops what the listing no longer has.

A network that fails keeps everything indexed so far; its state records the error and
``freshness`` reports it stale. Networks sync in parallel; one network never syncs twice
at once (a lock here, and the marker is compared-and-set in the database for syncs run
by other processes).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.base import Connector
from connectors.errors import ConnectorError, NetworkRateLimited
from connectors.records import (
    ChangeKind,
    ChangePage,
    CooperativeQuery,
    CooperativeRecord,
    Page,
    ProductChange,
    ProductRecord,
    SupplierQuery,
    SupplierRecord,
)
from federation.index import store
from federation.index.store import SyncState
from federation.index.tables import catalog_sync

T = TypeVar("T")
L = TypeVar("L", SupplierRecord, CooperativeRecord)

_FIRST_ANALYZE = 5_000  # products a full load writes before it refreshes statistics


class SyncStage(StrEnum):
    PRODUCTS = "products"
    SUPPLIERS = "suppliers"
    COOPERATIVES = "cooperatives"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where one network's sync stands: reported after every page written.

    ``done`` counts the stage's items so far; ``total`` is the network's estimate of the
    stage's items, when it gives one.
    """

    network: str
    stage: SyncStage
    full: bool
    done: int
    total: int | None = None


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True, slots=True)
class SyncResult:
    """How one network's sync went."""

    network: str
    full: bool
    ok: bool
    upserted: int
    deleted: int
    suppliers: int
    cooperatives: int
    seconds: float
    error: str | None = None


class SyncConflict(Exception):
    """Another sync of the same network moved its marker meanwhile."""


class SyncStopped(Exception):
    """``stop()`` was called: the sync ended between two pages, each already written."""


@dataclass
class _Listed:
    """What one listing read: the ids it had, and how many items were written."""

    ids: set[str] = field(default_factory=set)
    written: int = 0


@dataclass
class _Counts:
    upserted: int = 0
    deleted: int = 0
    suppliers: int = 0
    cooperatives: int = 0


class CatalogSync:
    """Syncs the index in ``engine`` from ``connectors`` (in the federation's order).

    ``directory_every``: seconds after which a sync re-reads a network's suppliers and
    cooperatives; None, only full loads read them.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        connectors: Sequence[Connector],
        *,
        page_size: int = 100,
        clock: Callable[[], float] = time.time,
        rate_limit_retries: int = 10,
        directory_every: float | None = None,
    ) -> None:
        self.engine = engine
        self.connectors = {c.code: c for c in connectors}
        self.page_size = page_size
        self.clock = clock
        self.rate_limit_retries = rate_limit_retries
        self.directory_every = directory_every
        self._locks = {code: asyncio.Lock() for code in self.connectors}
        self._directory_read: dict[str, float] = {}  # when this process last read it
        self._stopping = False

    def stop(self) -> None:
        """End running syncs before their next network call, and refuse new ones: a sync
        is never cancelled halfway through a page (each page is written with its marker,
        so the next sync resumes right there)."""
        self._stopping = True

    async def sync(
        self,
        networks: Sequence[str] | None = None,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
    ) -> tuple[SyncResult, ...]:
        """Sync ``networks`` (default: all) at once; one result each, in the given order.

        A network never fully loaded gets its full load; ``full`` starts a new one for
        every network named. Failures are results (``ok`` False), never exceptions.
        """
        codes = list(networks) if networks is not None else list(self.connectors)
        unknown = [code for code in codes if code not in self.connectors]
        if unknown:
            raise ValueError(f"unknown networks: {', '.join(unknown)}")
        return tuple(
            await asyncio.gather(
                *(self._sync_network(self.connectors[c], full, progress) for c in codes)
            )
        )

    async def run_periodically(self, interval: float, stop: asyncio.Event) -> None:
        """Sync every network now and then every ``interval`` seconds until ``stop`` is set."""
        while not stop.is_set():
            await self.sync()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    async def _sync_network(
        self, connector: Connector, full: bool, progress: ProgressCallback | None
    ) -> SyncResult:
        code = connector.code
        async with self._locks[code]:
            started = time.perf_counter()
            counts = _Counts()
            async with self.engine.begin() as conn:
                state = await store.read_state(conn, code)
                if full or state.generation == 0:
                    state = replace(
                        state, marker=None, generation=state.generation + 1, full_loaded=False
                    )
                    await store.write_state(conn, state)
            loading = not state.full_loaded
            directory = loading or self._directory_due(code)
            try:
                state = await self._products(connector, state, loading, counts, progress)
                if directory:
                    await self._directory(connector, state, loading, counts, progress)
                    self._directory_read[code] = self.clock()
                state = replace(state, full_loaded=True, error=None, synced_at=self.clock())
                error = None
            except (ConnectorError, SyncConflict, SyncStopped) as failure:
                error = str(failure)
                async with self.engine.begin() as conn:
                    state = replace(await store.read_state(conn, code), error=error)
            state = replace(state, attempted_at=self.clock())
            async with self.engine.begin() as conn:
                if error is None and loading:
                    await store.sweep(conn, code, state.generation)
                await store.write_state(conn, state)
            if error is None and loading:
                await store.vacuum(self.engine)
            if progress is not None:
                stage = SyncStage.DONE if error is None else SyncStage.FAILED
                progress(SyncProgress(code, stage, loading, counts.upserted + counts.deleted))
            return SyncResult(
                network=code,
                full=loading,
                ok=error is None,
                upserted=counts.upserted,
                deleted=counts.deleted,
                suppliers=counts.suppliers,
                cooperatives=counts.cooperatives,
                seconds=time.perf_counter() - started,
                error=error,
            )

    def _directory_due(self, code: str) -> bool:
        if self.directory_every is None:
            return False
        last = self._directory_read.get(code)
        return last is None or self.clock() - last >= self.directory_every

    async def _products(
        self,
        connector: Connector,
        state: SyncState,
        loading: bool,
        counts: _Counts,
        progress: ProgressCallback | None,
    ) -> SyncState:
        """Drain the change feed after ``state.marker``; the next page is fetched while
        the current one is written."""
        changed_suppliers: set[str] = set()
        total: int | None = None
        analyze_at = _FIRST_ANALYZE
        fetch = asyncio.ensure_future(self._changes(connector, state.marker))
        try:
            while True:
                page = await fetch
                if total is None and page.remaining is not None:
                    total = page.remaining
                if page.has_more:
                    fetch = asyncio.ensure_future(self._changes(connector, page.marker))
                upserts, deletions = _last_wins(page.changes)
                async with self.engine.begin() as conn:
                    await _advance_marker(conn, state, page.marker)
                    await store.apply_products(
                        conn, connector.code, upserts, deletions, state.generation
                    )
                state = replace(state, marker=page.marker)
                counts.upserted += len(upserts)
                counts.deleted += len(deletions)
                if loading and counts.upserted >= analyze_at:
                    # A load may grow the table a thousandfold, and the planner's lookups
                    # by (network, id) stay fast only on statistics that have kept up.
                    await store.analyze(self.engine)
                    analyze_at *= 2
                changed_suppliers.update(p.supplier_id for p in upserts)
                if progress is not None:
                    done = counts.upserted + counts.deleted
                    progress(SyncProgress(connector.code, SyncStage.PRODUCTS, loading, done, total))
                if not page.has_more:
                    break
        finally:
            if not fetch.done():
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectorError):
                    await fetch
        if not loading and changed_suppliers:
            await self._refresh_suppliers(connector, state, sorted(changed_suppliers), counts)
        return state

    async def _directory(
        self,
        connector: Connector,
        state: SyncState,
        loading: bool,
        counts: _Counts,
        progress: ProgressCallback | None,
    ) -> None:
        """Every supplier and cooperative of the network, page by page; outside a full load
        (whose sweep does it), then those the listing no longer has removed."""
        code, generation = connector.code, state.generation

        async def write_suppliers(conn: AsyncConnection, items: Sequence[SupplierRecord]) -> None:
            await store.upsert_suppliers(conn, items, generation)

        async def write_cooperatives(
            conn: AsyncConnection, items: Sequence[CooperativeRecord]
        ) -> None:
            await store.upsert_cooperatives(conn, items, generation)

        def report(stage: SyncStage, done: int) -> None:
            if progress is not None:
                progress(SyncProgress(code, stage, loading, done))

        suppliers = await self._listing(
            partial(connector.search_suppliers, SupplierQuery()),
            write_suppliers,
            lambda n: report(SyncStage.SUPPLIERS, counts.suppliers + n),
        )
        counts.suppliers += suppliers.written
        cooperatives = await self._listing(
            partial(connector.search_cooperatives, CooperativeQuery()),
            write_cooperatives,
            lambda n: report(SyncStage.COOPERATIVES, counts.cooperatives + n),
        )
        counts.cooperatives += cooperatives.written
        if not loading:
            async with self.engine.begin() as conn:
                await store.remove_unlisted(conn, code, suppliers.ids, cooperatives.ids)

    async def _listing(
        self,
        fetch: Callable[[str | None, int], Awaitable[Page[L]]],
        write: Callable[[AsyncConnection, Sequence[L]], Awaitable[None]],
        report: Callable[[int], None],
    ) -> _Listed:
        """A whole listing read page by page, each page written as it comes; ``report``
        hears how many were written so far."""
        listed = _Listed()
        after: str | None = None
        while True:
            page = await self._patiently(partial(fetch, after, self.page_size))
            async with self.engine.begin() as conn:
                await write(conn, page.items)
            listed.ids.update(item.id for item in page.items)
            listed.written += len(page.items)
            report(listed.written)
            if not page.has_more or not page.items:
                return listed
            after = page.positions[-1]

    async def _refresh_suppliers(
        self, connector: Connector, state: SyncState, ids: list[str], counts: _Counts
    ) -> None:
        """The current listing of the suppliers whose products changed."""
        size = max(1, self.page_size)
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            found = await self._patiently(partial(connector.get_suppliers, chunk))
            async with self.engine.begin() as conn:
                await store.upsert_suppliers(conn, found.values(), state.generation)
            counts.suppliers += len(found)

    async def _changes(self, connector: Connector, marker: str | None) -> ChangePage:
        return await self._patiently(partial(connector.product_changes, marker, self.page_size))

    async def _patiently(self, call: Callable[[], Awaitable[T]]) -> T:
        """``call``, waiting out a network's rate limit (``Retry-After``) a few times."""
        for _ in range(self.rate_limit_retries):
            if self._stopping:
                raise SyncStopped("the hub stopped during this sync; the next one resumes it")
            try:
                return await call()
            except NetworkRateLimited as limited:
                await asyncio.sleep(min(limited.retry_after or 1.0, 30.0))
        return await call()


def _last_wins(changes: Sequence[ProductChange]) -> tuple[list[ProductRecord], list[str]]:
    """A page's net effect: the last entry per product, split into upserts and deletions."""
    final: dict[str, ProductChange] = {}
    for change in changes:
        final.pop(change.product_id, None)
        final[change.product_id] = change
    upserts = [
        c.product for c in final.values() if c.kind is ChangeKind.UPSERTED and c.product is not None
    ]
    deletions = [c.product_id for c in final.values() if c.kind is ChangeKind.DELETED]
    return upserts, deletions


async def _advance_marker(conn: AsyncConnection, state: SyncState, marker: str | None) -> None:
    """Move the stored marker from ``state.marker`` to ``marker``, or ``SyncConflict``."""
    c = catalog_sync.c
    result = await conn.execute(
        update(catalog_sync)
        .where(
            c.network == state.network,
            c.generation == state.generation,
            c.marker.is_not_distinct_from(state.marker),
        )
        .values(marker=marker)
    )
    if result.rowcount != 1:
        raise SyncConflict(f"{state.network}: another sync moved the marker; try again")
