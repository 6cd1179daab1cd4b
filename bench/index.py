"""The catalog index: full load, incremental sync and search, beside the live fan-out.

For each catalogue size (products in total, split evenly over the three reference
networks, which run as child processes seeded in a temporary directory) and each hub
database (SQLite file, PostgreSQL temporary database):

* **full load**: ``CatalogSync.sync()`` into an empty index, products/s;
* **incremental**: price changes made through the networks' admin APIs, then one
  ``sync()``, changes/s;
* **search**: a fixed mix of Indonesian queries (with and without filters), 20 products
  a page, through ``federation.index.search_products`` in this process: latency p50/p99
  with one client, and requests/s with several concurrent clients; facets (counts over
  the whole result) p50 separately, since a page does not need them;
* **live**: the same query mix through the live fan-out (``federation.search``), once
  per size.

Searches are in process (no GraphQL, no HTTP to the hub): the figures are the index's.
Each search figure is the median of ``repeats`` runs; loads run once per size and
database.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import anyio.to_thread
import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.federation import (
    ADMIN_HEADERS,
    RunResult,
    Summary,
    machine_line,
    reference_launchers,
)
from bench.orders import DEFAULT_POSTGRES, postgres_database
from connectors.base import Connector
from connectors.records import (
    CertificationKind,
    ProductQuery,
    ProductRecord,
    Scale,
    SupplierQuery,
)
from connectors.registry import ConnectorConfig, build_connector
from federation.hub import Federation, FederationLimits
from federation.index import CatalogSync, IndexSearch, product_facets, search_products
from federation.index.rows import product_record
from federation.index.suppliers import IndexSupplierSearch, search_suppliers
from federation.index.tables import catalog_products
from federation.loaders import Loaders
from federation.orders.database import connect
from federation.search import ProductSearch
from federation.search import search_products as live_search
from hub.database import upgrade
from networks.admin_requests import put_request

Q = TypeVar("Q")

CREDENTIALS: dict[str, dict[str, str]] = {
    "sejuk": {"api_key": "sejuk-dev-key"},
    "tangerang": {"client_id": "koperasi-hub", "secret": "tangerang-dev-secret"},
    "padi": {"client_id": "koperasi-hub", "client_secret": "padi-dev-secret"},
}
PAGE = 20
QUERIES: tuple[ProductQuery, ...] = (
    ProductQuery(text="beras"),
    ProductQuery(text="beras premium 5 kg"),
    ProductQuery(text="migor"),
    ProductQuery(text="kopi arabika"),
    ProductQuery(text="gula aren"),
    ProductQuery(text="keripik pedas"),
    ProductQuery(text="telor ayam", in_stock=True),
    ProductQuery(text="sabun", region_code="32"),
    ProductQuery(text="teh", category="teh", max_price=20_000),
    ProductQuery(category="mie", region_code="36.71"),
)
# A procurement team's supplier searches: nationwide by KBLI, by region and scale, by name.
SUPPLIER_QUERIES: tuple[SupplierQuery, ...] = (
    SupplierQuery(),
    SupplierQuery(kbli="10"),
    SupplierQuery(kbli="10794", region_codes=("35",)),
    SupplierQuery(region_codes=("32",), scale=Scale.MIKRO),
    SupplierQuery(certifications=(CertificationKind.HALAL,), verified_only=True),
    SupplierQuery(text="jaya"),
)
NETWORKS = ("sejuk", "tangerang", "padi")  # the federation's order: who owns a NIB


@dataclass(frozen=True)
class IndexOptions:
    """What to measure; ``sizes`` are products in total over the three networks."""

    sizes: tuple[int, ...] = (100_000, 1_000_000)
    databases: tuple[str, ...] = ("sqlite", "postgresql")
    repeats: int = 3
    requests: int = 1_000  # searches per timed run
    clients: int = 8  # concurrent clients of the throughput run
    changes: int = 3_000  # products changed before the incremental sync
    live: bool = True
    postgres_url: str = DEFAULT_POSTGRES
    seed: int = 2026


def options_from_environment(repeats: int | None = None) -> IndexOptions:
    """Options with ``HUB_BENCH_POSTGRES_URL`` and ``HUB_BENCH_INDEX_SIZES`` (comma-separated
    totals, e.g. ``100000``) applied when set."""
    sizes = os.environ.get("HUB_BENCH_INDEX_SIZES")
    return IndexOptions(
        sizes=tuple(int(s) for s in sizes.split(",")) if sizes else IndexOptions.sizes,
        repeats=repeats or IndexOptions.repeats,
        postgres_url=os.environ.get("HUB_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
    )


@dataclass
class Row:
    """The figures of one size and database."""

    size: int
    database: str
    full_seconds: float = 0.0
    indexed: int = 0
    incremental_seconds: float = 0.0
    changed: int = 0
    one_client: Summary | None = None
    many_clients: Summary | None = None
    facets_p50: float = 0.0
    suppliers_p50: float = 0.0
    notes: list[str] = field(default_factory=list)


async def timed_runs(
    operation: Callable[[Q], Awaitable[object]], mix: Sequence[Q], clients: int, requests: int
) -> RunResult:
    """``requests`` operations over the query ``mix`` from ``clients`` closed loops."""
    queries = itertools.cycle(mix)
    remaining = requests
    latencies: list[float] = []

    async def client() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            query = next(queries)
            started = time.perf_counter()
            await operation(query)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return RunResult(tuple(latencies), time.perf_counter() - started, 0)


async def measure_search(
    operation: Callable[[ProductQuery], Awaitable[object]], options: IndexOptions
) -> tuple[Summary, Summary]:
    """Median figures with one client (latency) and with ``options.clients`` (req/s)."""
    await timed_runs(operation, QUERIES, 1, len(QUERIES) * 2)  # warm caches and connections
    single = [
        await timed_runs(operation, QUERIES, 1, options.requests) for _ in range(options.repeats)
    ]
    many = [
        await timed_runs(operation, QUERIES, options.clients, options.requests)
        for _ in range(options.repeats)
    ]
    return Summary.of(single), Summary.of(many)


async def change_products(engine: AsyncEngine, urls: dict[str, str], count: int) -> int:
    """Raise the price of ``count`` indexed products (spread over the networks) at their
    networks; how many changed."""
    per_network = max(1, count // len(urls))
    chosen: list[ProductRecord] = []
    async with engine.connect() as conn:
        for code in urls:
            result = await conn.execute(
                select(catalog_products)
                .where(catalog_products.c.network == code)
                .order_by(catalog_products.c.id)
                .limit(per_network)
            )
            chosen.extend(product_record(row) for row in result.mappings())
    clients = {
        code: httpx.AsyncClient(base_url=url, headers=ADMIN_HEADERS, timeout=30.0)
        for code, url in urls.items()
    }
    limit = asyncio.Semaphore(16)

    async def change(product: ProductRecord) -> None:
        path, body = put_request(product)
        body = {**body}
        price_field = {"sejuk": "harga", "tangerang": "price", "padi": "price"}[product.network]
        new_price = product.price + 100
        body[price_field] = f"{new_price}.00" if product.network == "tangerang" else new_price
        async with limit:
            response = await clients[product.network].put(path, json=body)
            response.raise_for_status()

    try:
        await asyncio.gather(*(change(p) for p in chosen))
    finally:
        for client in clients.values():
            await client.aclose()
    return len(chosen)


def connectors_for(urls: dict[str, str]) -> list[Connector]:
    return [
        build_connector(ConnectorConfig(code, code, url, CREDENTIALS[code], 30.0))
        for code, url in urls.items()
    ]


async def measure_database(
    size: int, database: str, database_url: str, urls: dict[str, str], options: IndexOptions
) -> Row:
    """Full load, incremental sync and search figures on one fresh hub database."""
    row = Row(size, database)
    await anyio.to_thread.run_sync(upgrade, database_url)
    engine = connect(database_url)
    connectors = connectors_for(urls)
    try:
        sync = CatalogSync(engine, connectors)
        started = time.perf_counter()
        results = await sync.sync()
        row.full_seconds = time.perf_counter() - started
        row.notes.extend(f"full load {r.network}: {r.error}" for r in results if not r.ok)
        async with engine.connect() as conn:
            row.indexed = int(
                await conn.scalar(select(func.count()).select_from(catalog_products)) or 0
            )
        print(f"  {database}: full load of {row.indexed:,} in {row.full_seconds:.1f} s", flush=True)

        row.changed = await change_products(engine, urls, options.changes)
        started = time.perf_counter()
        results = await sync.sync()
        row.incremental_seconds = time.perf_counter() - started
        row.notes.extend(f"incremental {r.network}: {r.error}" for r in results if not r.ok)

        async def search(query: ProductQuery) -> object:
            return await search_products(engine, IndexSearch(query), PAGE)

        async def facets(query: ProductQuery) -> object:
            return await product_facets(engine, IndexSearch(query))

        async def suppliers(query: SupplierQuery) -> object:
            return await search_suppliers(engine, IndexSupplierSearch(query), NETWORKS, PAGE)

        row.one_client, row.many_clients = await measure_search(search, options)
        facet_runs = [
            await timed_runs(facets, QUERIES, 1, len(QUERIES) * 3) for _ in range(options.repeats)
        ]
        row.facets_p50 = statistics.median(r.percentile(0.5) for r in facet_runs)
        supplier_runs = [
            await timed_runs(suppliers, SUPPLIER_QUERIES, 1, len(SUPPLIER_QUERIES) * 20)
            for _ in range(options.repeats)
        ]
        row.suppliers_p50 = statistics.median(r.percentile(0.5) for r in supplier_runs)
        print(f"  {database}: searched", flush=True)
    finally:
        for connector in connectors:
            await connector.aclose()
        await engine.dispose()
    return row


async def measure_live(size: int, urls: dict[str, str], options: IndexOptions) -> Row:
    """The same query mix through the live fan-out, for comparison."""
    row = Row(size, "live fan-out")
    federation = Federation(connectors_for(urls), FederationLimits(deadline=30.0))
    try:

        async def search(query: ProductQuery) -> object:
            return await live_search(
                federation, Loaders(federation), ProductSearch(query), PAGE, None
            )

        live_options = IndexOptions(
            repeats=options.repeats,
            requests=max(len(QUERIES), options.requests // 5),
            clients=options.clients,
        )
        row.one_client, row.many_clients = await measure_search(search, live_options)
    finally:
        await federation.aclose()
    return row


@contextmanager
def networks_running(products: int, seed: int, data_dir: Path) -> Iterator[dict[str, str]]:
    """The three networks with ``products`` each, as child processes; their URLs."""

    launchers = reference_launchers(data_dir, products, seed)
    try:
        yield {net.code: net.url for launcher in launchers for net in launcher.start(1_800.0)}
    finally:
        for launcher in launchers:
            launcher.stop()


def run_size(size: int, options: IndexOptions) -> list[Row]:
    """Every figure for one catalogue size."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-index-") as directory:
        data_dir = Path(directory)
        started = time.perf_counter()
        print(f"index: seeding {size:,} products over three networks ...", flush=True)
        with networks_running(size // 3, options.seed, data_dir) as urls:
            print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
            for database in options.databases:
                if database == "sqlite":
                    url = f"sqlite+aiosqlite:///{data_dir / 'hub.sqlite3'}"
                    rows.append(asyncio.run(measure_database(size, database, url, urls, options)))
                    continue
                with postgres_database(options.postgres_url) as pg_url:
                    if pg_url is not None:
                        rows.append(
                            asyncio.run(measure_database(size, database, pg_url, urls, options))
                        )
            if options.live:
                rows.append(asyncio.run(measure_live(size, urls, options)))
    return rows


def print_table(rows: list[Row], options: IndexOptions, wall: float) -> None:
    print()
    print(
        f"index: search {PAGE} per page over a mix of {len(QUERIES)} queries; latency in ms "
        f"with 1 client, req/s with {options.clients}; loads in products/s"
    )
    print(
        f"{'products':>9} {'database':<13} | {'p50':>6} {'p99':>6} {'req/s':>7} "
        f"| {'facets p50':>10} {'suppliers p50':>13} | {'full load/s':>11} {'incr/s':>7}"
    )
    for row in rows:
        one, many = row.one_client, row.many_clients
        assert one is not None
        assert many is not None
        loads = (
            f"{row.indexed / row.full_seconds:>11,.0f} {row.changed / row.incremental_seconds:>7,.0f}"
            if row.full_seconds
            else f"{'-':>11} {'-':>7}"
        )
        facets = (
            f"{row.facets_p50:>10.1f} {row.suppliers_p50:>13.2f}"
            if row.full_seconds
            else f"{'-':>10} {'-':>13}"
        )
        print(
            f"{row.size:>9,} {row.database:<13} | {one.p50:>6.2f} {one.p99:>6.1f} "
            f"{many.rps:>7,.0f} | {facets} | {loads}"
        )
        for note in row.notes:
            print(f"    note: {note}")
    print(
        f"search figures: median of {options.repeats} runs of {options.requests} searches "
        f"(live fan-out: {max(len(QUERIES), options.requests // 5)}); suppliers: median of "
        f"{options.repeats} runs of {len(SUPPLIER_QUERIES) * 20} over {len(SUPPLIER_QUERIES)} "
        f"searches, {PAGE} a page; full load and "
        f"incremental ({options.changes:,} price changes) run once. Target: index p50 < 10 ms "
        "at 1,000,000 products."
    )
    print(machine_line("the three networks and this process", wall))


def run(options: IndexOptions | None = None) -> None:
    """Seed, load, sync and search at every size; print the table."""
    options = options or IndexOptions()
    started = time.perf_counter()
    rows: list[Row] = []
    for size in options.sizes:
        rows.extend(run_size(size, options))
        print_table(rows, options, time.perf_counter() - started)
        sys.stdout.flush()
