"""Orders per second through ``placeOrder``, on SQLite and on PostgreSQL.

Everything runs as real processes on 127.0.0.1: the three reference networks (seeded in a
fresh temporary directory, every network at a fixed injected latency) and the hub
(``hub serve``, production settings), once on a SQLite file and once on a PostgreSQL
database created for the run and dropped afterwards (skipped, with a note, when the server
cannot be reached). Closed-loop clients POST ``placeOrder``: two lines on two networks
(the pairs rotate over the three networks), each order with its own idempotency key, each
line the minimum quantity of a product with stock to spare, the products rotating so no
product runs out. An order counts when it comes back CONFIRMED. Each cell is timed a
few times after a warm-up; the median is printed.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
from sqlalchemy.engine import make_url

from bench.federation import (
    REQUEST_TIMEOUT,
    RunningHub,
    RunResult,
    Summary,
    drive,
    machine_line,
    reference_launchers,
    set_latency,
    sigterm_as_interrupt,
    start_hub,
    stop_process,
)
from resolvers.ids import to_global_id

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
PAIRS = (("sejuk", "tangerang"), ("tangerang", "padi"), ("padi", "sejuk"))
PLACE = "mutation P($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }"
PRODUCTS_QUERY = """query P($f: ProductFilter, $after: String) {
  search(first: 100, after: $after, filter: $f) {
    edges { node { id minOrder stock } } pageInfo { hasNextPage endCursor } } }"""
BUYER_QUERY = '{ cooperatives(first: 1, filter: {networks: ["sejuk"]}) { edges { node { id } } } }'
PRODUCT_PAGES = 6  # at most 600 products per network are used
# A product is used only while it has stock for this many more minimum orders; the
# benchmark rotates over hundreds per network, so each is ordered a few times at most.
STOCK_FOR_ORDERS = 10
REGION = "32.73"  # Kota Bandung


@dataclass(frozen=True)
class OrdersOptions:
    """The grid (clients per database) and the size of each timed run."""

    clients: tuple[int, ...] = (1, 8, 32)
    latency_ms: int = 20
    repeats: int = 3
    # Orders in one timed run: a few per client, and never fewer than ``min_orders``.
    orders_per_client: int = 5
    min_orders: int = 12
    products: int = 2_000
    seed: int = 2026
    postgres_url: str = DEFAULT_POSTGRES

    def orders_in_run(self, clients: int) -> int:
        return max(self.min_orders, self.orders_per_client * clients)


@dataclass(frozen=True)
class Cell:
    """One row of the table: a database at a number of concurrent clients."""

    database: str
    clients: int
    summary: Summary
    orders: int


@dataclass
class Catalog:
    """What the clients order from: one buyer with its token, and per network products
    with stock."""

    buyer: str
    headers: dict[str, str]  # the buyer's partner-app token
    products: dict[str, list[dict[str, Any]]]

    def __post_init__(self) -> None:
        self._next = {code: itertools.cycle(items) for code, items in self.products.items()}
        self._pairs = itertools.cycle(PAIRS)

    def order(self) -> dict[str, Any]:
        """The next placeOrder input: a new key, the next pair, the next product of each."""
        lines = []
        for code in next(self._pairs):
            product = next(self._next[code])
            lines.append({"productId": product["id"], "quantity": product["minOrder"]})
        return {
            "buyerId": self.buyer,
            "lines": lines,
            "deliveryRegionCode": REGION,
            "idempotencyKey": f"bench-{uuid.uuid4()}",
        }


class PlaceOrders:
    """One placeOrder over HTTP; OK when the order comes back CONFIRMED."""

    def __init__(self, hub_url: str, catalog: Catalog, clients: int) -> None:
        self.catalog = catalog
        self.client = httpx.AsyncClient(
            base_url=hub_url,
            headers=catalog.headers,
            timeout=REQUEST_TIMEOUT,
            limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients),
        )

    async def __call__(self) -> bool:
        body = {"query": PLACE, "variables": {"input": self.catalog.order()}}
        response = await self.client.post("/graphql", json=body)
        if response.status_code != 200:
            return False
        answer = response.json()
        return "errors" not in answer and answer["data"]["placeOrder"]["status"] == "CONFIRMED"

    async def aclose(self) -> None:
        await self.client.aclose()


async def graphql(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if "errors" in body:
        raise RuntimeError(f"the hub refused {query[:40]!r}: {body['errors']}")
    return body["data"]


async def load_catalog(hub: RunningHub) -> Catalog:
    """The buyer, its token, and per network the products with stock for the orders."""
    reader = hub.headers(to_global_id("Cooperative", "sejuk", "1"), "catalog:read")
    async with httpx.AsyncClient(
        base_url=hub.url, headers=reader, timeout=REQUEST_TIMEOUT
    ) as client:
        buyer = (await graphql(client, BUYER_QUERY, {}))["cooperatives"]["edges"][0]["node"]["id"]
        products: dict[str, list[dict[str, Any]]] = {}
        for code in {code for pair in PAIRS for code in pair}:
            found: list[dict[str, Any]] = []
            after: str | None = None
            for _ in range(PRODUCT_PAGES):
                variables = {"f": {"networks": [code], "inStock": True}, "after": after}
                page = (await graphql(client, PRODUCTS_QUERY, variables))["search"]
                found += [
                    e["node"]
                    for e in page["edges"]
                    if e["node"]["stock"] is None
                    or e["node"]["stock"] >= STOCK_FOR_ORDERS * e["node"]["minOrder"]
                ]
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            if not found:
                raise RuntimeError(f"{code} has no product with stock to order")
            products[code] = found
    headers = hub.headers(buyer, "catalog:read,orders:read,orders:write")
    return Catalog(buyer, headers, products)


async def measure(
    hub_url: str, catalog: Catalog, database: str, options: OrdersOptions
) -> list[Cell]:
    """Every client count on one database: a warm-up, then ``repeats`` timed runs."""
    cells = []
    for clients in options.clients:
        operation = PlaceOrders(hub_url, catalog, clients)
        try:
            warm = await drive(operation, clients, 2 * clients)
            if warm.errors:
                print(f"  warm-up errors on {database} x {clients}: {warm.errors}", flush=True)
            runs: list[RunResult] = []
            for _ in range(options.repeats):
                runs.append(await drive(operation, clients, options.orders_in_run(clients)))
        finally:
            await operation.aclose()
        cells.append(Cell(database, clients, Summary.of(runs), options.orders_in_run(clients)))
        print(f"  measured {database} x {clients} clients", file=sys.stderr, flush=True)
    return cells


def _dsn(url: str) -> str:
    """A SQLAlchemy ``postgresql+asyncpg://`` URL as a plain libpq DSN for asyncpg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _create_database(server_url: str) -> str:
    """A new database ``hub_bench_<random>`` on ``server_url``'s server; its URL."""
    name = f"hub_bench_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(_dsn(server_url), timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop_database(server_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    admin = await asyncpg.connect(_dsn(server_url), timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextmanager
def postgres_database(server_url: str) -> Iterator[str | None]:
    """A database of the run's own on ``server_url``'s server, dropped afterwards.

    Yields None (and prints why) when the server cannot be reached.
    """
    try:
        database_url = asyncio.run(_create_database(server_url))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        shown = make_url(server_url).render_as_string(hide_password=True)
        print(f"orders: PostgreSQL skipped, {shown} unreachable: {error}", flush=True)
        yield None
        return
    try:
        yield database_url
    finally:
        asyncio.run(_drop_database(server_url, database_url))


@contextmanager
def networks_running(options: OrdersOptions, data_dir: Path) -> Iterator[dict[str, str]]:
    """The three networks as child processes (PaDi without its rate limit); their URLs."""

    launchers = reference_launchers(data_dir, options.products, options.seed)
    try:
        yield {net.code: net.url for launcher in launchers for net in launcher.start()}
    finally:
        for launcher in launchers:
            launcher.stop()


def total_orders(options: OrdersOptions, databases: int) -> int:
    """Orders the whole benchmark places, warm-ups included."""
    per_database = sum(2 * c + options.repeats * options.orders_in_run(c) for c in options.clients)
    return databases * per_database


def run_database(
    name: str, database_url: str, urls: dict[str, str], options: OrdersOptions
) -> tuple[list[Cell], Catalog]:
    """Start a hub on ``database_url``, measure every client count, stop it."""
    keys = Path(tempfile.mkdtemp(prefix="hub-bench-keys-"))
    hub = start_hub(urls, database_url, keys)
    try:

        async def session() -> tuple[list[Cell], Catalog]:
            await set_latency(urls, 0)
            catalog = await load_catalog(hub)
            await set_latency(urls, options.latency_ms)
            return await measure(hub.url, catalog, name, options), catalog

        return asyncio.run(session())
    finally:
        stop_process(hub.process)
        shutil.rmtree(keys, ignore_errors=True)


def print_table(cells: list[Cell], options: OrdersOptions, notes: list[str], wall: float) -> None:
    runs = "one run" if options.repeats == 1 else f"median of {options.repeats} runs"
    print()
    print(
        f"orders: placeOrder through the hub, 2 lines on 2 networks, every network at "
        f"{options.latency_ms} ms ({runs} per cell)"
    )
    print(
        f"{'database':<10} {'clients':>7} | {'orders/s':>8} {'p50 ms':>8} {'p99 ms':>8} | {'errors':>6}"
    )
    for cell in cells:
        s = cell.summary
        print(
            f"{cell.database:<10} {cell.clients:>7} | {s.rps:>8.1f} {s.p50:>8.1f} {s.p99:>8.1f} "
            f"| {s.errors:>6}"
        )
    sizes = ", ".join(f"{c} clients {options.orders_in_run(c)}" for c in options.clients)
    print(
        f"each run: orders per run ({sizes}) after a warm-up of 2 x clients orders; an "
        "order counts as an error unless it comes back CONFIRMED (errors summed over runs)."
    )
    for note in notes:
        print(note)
    print(machine_line("the networks, the hub, the database and the load driver", wall))


def run(options: OrdersOptions | None = None) -> None:
    """Start the networks, measure each database in turn, print the table, stop everything."""
    options = options or OrdersOptions()
    started = time.perf_counter()
    print("orders: starting the three networks ...", flush=True)
    cells: list[Cell] = []
    notes: list[str] = []
    with (
        sigterm_as_interrupt(),
        tempfile.TemporaryDirectory(prefix="bench-orders-") as directory,
        networks_running(options, Path(directory)) as urls,
    ):
        sqlite_url = f"sqlite+aiosqlite:///{Path(directory) / 'hub.sqlite3'}"
        measured, catalog = run_database("sqlite", sqlite_url, urls, options)
        cells += measured
        sizes = ", ".join(
            f"{code} {len(items)}" for code, items in sorted(catalog.products.items())
        )
        with postgres_database(options.postgres_url) as postgres_url:
            if postgres_url is None:
                notes.append("postgresql: skipped, the server could not be reached.")
            else:
                cells += run_database("postgresql", postgres_url, urls, options)[0]
        databases = len({cell.database for cell in cells})
        notes.insert(
            0,
            f"products ordered from, in rotation: {sizes}; {total_orders(options, databases)} "
            f"orders in all; {options.products:,} products per network.",
        )
    print_table(cells, options, notes, time.perf_counter() - started)
