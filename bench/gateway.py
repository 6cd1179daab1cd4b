"""Gateway: the hub's CPU per request on its index and live search, against a direct fan-out.

Everything runs as real processes on 127.0.0.1: the three reference networks (seeded in a
fresh temporary directory, ``--products`` each) and the hub (``hub serve``, production
settings, the catalog index loaded before anything is measured, no periodic sync while
measuring, no rate limit and no in-flight cap: the figures are the hub's cost per request,
not its abuse limits). Four paths are measured, alternating, in one run:

* **networks**: ``{ networks { code } }`` sent to the hub (no network is asked): the floor
  of what one operation through the hub's pipeline costs;
* **index**: ``search(text: "beras", first: 40)`` with each product's name, price and
  supplier name, answered from the hub's catalog index;
* **live**: the same search with ``live: true``, which the hub fans out to the three
  networks (and asks them for the suppliers' names);
* **direct**: the baseline, a hand-written fan-out in this process (plain asyncio +
  httpx, no GraphQL, no hub): the same search asked of each network in its own API in
  parallel, then each network's suppliers of the products it found, by id.

For each number of concurrent clients (``--gateway-clients``, closed loop: a client sends
its next request when its answer is in), each path runs for ``--gateway-seconds`` seconds,
the four paths one after another, ``--repeats`` times (at least 3); the figures are the
medians over those alternations. The hub is driven with a minimal keep-alive HTTP/1.1
client on raw asyncio streams (bench.abuse), one connection per client, so the load
driver spends as little of the shared cores as it can.

**CPU ms per request** is the hub process's CPU time (the sum over its threads of
``/proc/<pid>/task/<tid>/schedstat``) over the run divided by the requests it answered;
for the direct fan-out it is this process's CPU time (``time.process_time()``) over the
run divided by the fan-outs completed, since this process *is* the baseline gateway.
A **partial** answer is a 200 with GraphQL ``errors`` (a network failed or missed the
hub's deadline); for the baseline, a fan-out in which some network did not answer 200.
**errors** are everything else (not 200, timeouts, dropped connections).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.abuse import (
    Credentials,
    HttpConnection,
    Hub,
    cpu_ms,
    cpu_sample,
    http_request,
    percentile,
    settle,
    wait_for_index,
)
from bench.federation import (
    HOST,
    machine_line,
    network_clients,
    padi_token,
    reference_launchers,
    sigterm_as_interrupt,
)
from networks.launcher import free_port

SEARCH_TEXT = "beras"
PAGE_SIZE = 40
NODE = "edges { node { name price { amount } supplier { name } } }"
INDEX_QUERY = f'{{ search(text: "{SEARCH_TEXT}", first: {PAGE_SIZE}) {{ {NODE} }} }}'
LIVE_QUERY = f'{{ search(text: "{SEARCH_TEXT}", first: {PAGE_SIZE}, live: true) {{ {NODE} }} }}'
NETWORKS_QUERY = "{ networks { code } }"
PATHS = ("networks", "index", "live", "direct")
REQUEST_TIMEOUT = 30.0  # seconds, one request
# The baseline's natives, the same as the hub's connectors send (connectors/*/).
PADI_PRODUCTS = (
    "query S($f: ProductFilter, $size: Int!) { searchProducts(filter: $f, page: 1, size: $size)"
    " { total items { id umkmId name category unit price stock minOrder description"
    " regionCode } } }"
)
PADI_UMKMS = (
    "query U($keys: [ID!]!) { result: umkmsByIds(ids: $keys) { id nib name kbli kbliCodes"
    " scale certifications { type number } regionCode verified } }"
)
UPSTREAM_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=32)


@dataclass(frozen=True)
class GatewayOptions:
    """What to measure and for how long."""

    clients: tuple[int, ...] = (4, 32)
    seconds: float = 3.0  # one timed run of one path
    repeats: int = 3  # alternations, the median printed (at least 3)
    products: int = 2_000  # per network
    seed: int = 2026


@dataclass(frozen=True)
class Run:
    """One timed run of one path: latencies, wall time, CPU, and what went wrong."""

    latencies_ms: tuple[float, ...]
    seconds: float
    cpu_ms: float
    partial: int
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds

    @property
    def cpu_per_request(self) -> float:
        return self.cpu_ms / max(1, len(self.latencies_ms))


@dataclass(frozen=True)
class Figures:
    """One path at one client count: medians over the alternations, sums of failures."""

    rps: float
    p50: float
    p99: float
    cpu: float
    partial: int
    errors: int
    requests: int

    @classmethod
    def of(cls, runs: list[Run]) -> Figures:
        return cls(
            rps=statistics.median(r.rps for r in runs),
            p50=statistics.median(percentile(list(r.latencies_ms), 0.5) for r in runs),
            p99=statistics.median(percentile(list(r.latencies_ms), 0.99) for r in runs),
            cpu=statistics.median(r.cpu_per_request for r in runs),
            partial=sum(r.partial for r in runs),
            errors=sum(r.errors for r in runs),
            requests=sum(len(r.latencies_ms) for r in runs),
        )


@dataclass
class Outcome:
    """What one request came to; ``failures`` names the kinds for the notes."""

    latencies: list[float] = field(default_factory=list)
    partial: int = 0
    errors: int = 0
    failures: Counter[str] = field(default_factory=Counter)


Operation = Callable[[int], Awaitable[tuple[str, float]]]  # client number -> (kind, ms)


async def drive(operation: Operation, clients: int, seconds: float) -> tuple[Outcome, float]:
    """``clients`` closed loops of ``operation`` for ``seconds``; the outcome and wall time."""
    outcome = Outcome()
    until = time.perf_counter() + seconds

    async def client(number: int) -> None:
        while time.perf_counter() < until:
            kind, ms = await operation(number)
            outcome.latencies.append(ms)
            if kind == "partial":
                outcome.partial += 1
            elif kind != "ok":
                outcome.errors += 1
            if kind != "ok":
                outcome.failures[kind] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return outcome, time.perf_counter() - started


class HubPath:
    """One GraphQL document POSTed to the hub, one keep-alive connection per client."""

    def __init__(self, hub: Hub, credentials: Credentials, query: str, clients: int) -> None:
        body = orjson.dumps({"query": query})
        headers = {
            "Content-Type": "application/json",
            "Authorization": credentials.authorization,
        }
        self.request = http_request("POST", "/graphql", headers, body, hub.port)
        self.connections = [HttpConnection(hub.port, REQUEST_TIMEOUT) for _ in range(clients)]

    async def __call__(self, number: int) -> tuple[str, float]:
        answer = await self.connections[number].exchange(self.request)
        if answer.status != "200":
            return answer.status, answer.ms
        if b'"errors"' in answer.body:
            return "partial", answer.ms
        return "ok", answer.ms

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


class DirectFanOut:
    """The baseline gateway: each network's products, then their suppliers, in parallel."""

    def __init__(self, urls: dict[str, str], padi_token: str) -> None:
        self.sejuk, self.tangerang, self.padi = network_clients(urls, padi_token)

    async def _sejuk(self) -> list[tuple[str, str]]:
        params: dict[str, str | int] = {"q": SEARCH_TEXT, "halaman": 1, "per_halaman": PAGE_SIZE}
        answer = await self.sejuk.get("/api/v1/produk", params=params)
        answer.raise_for_status()
        products = answer.json()["data"]
        ids = list(dict.fromkeys(str(p["pemasok_id"]) for p in products))
        names: dict[str, str] = {}
        if ids:
            found = await self.sejuk.get(
                "/api/v1/pemasok", params={"id": ",".join(ids), "per_halaman": len(ids)}
            )
            found.raise_for_status()
            names = {str(s["id"]): s["nama"] for s in found.json()["data"]}
        return [(p["nama"], names.get(str(p["pemasok_id"]), "")) for p in products]

    async def _tangerang(self) -> list[tuple[str, str]]:
        params: dict[str, str | int] = {"q": SEARCH_TEXT, "limit": PAGE_SIZE}
        answer = await self.tangerang.get("/v2/catalog/items", params=params)
        answer.raise_for_status()
        items = answer.json()["items"]
        ids = list(dict.fromkeys(i["merchant_id"] for i in items))
        names: dict[str, str] = {}
        if ids:
            found = await self.tangerang.post("/v2/merchants:batchGet", json={"ids": ids})
            found.raise_for_status()
            names = {m["id"]: m["name"] for m in found.json()["items"]}
        return [(i["name"], names.get(i["merchant_id"], "")) for i in items]

    async def _padi_call(self, query: str, variables: dict[str, Any]) -> Any:
        answer = await self.padi.post("/graphql", json={"query": query, "variables": variables})
        answer.raise_for_status()
        body = answer.json()
        if body.get("errors"):
            raise ValueError(f"PaDi: {body['errors'][0].get('message')}")
        return body["data"]

    async def _padi(self) -> list[tuple[str, str]]:
        data = await self._padi_call(PADI_PRODUCTS, {"f": {"text": SEARCH_TEXT}, "size": PAGE_SIZE})
        items = data["searchProducts"]["items"]
        ids = list(dict.fromkeys(i["umkmId"] for i in items))
        names: dict[str, str] = {}
        if ids:
            found = await self._padi_call(PADI_UMKMS, {"keys": ids})
            names = {u["id"]: u["name"] for u in found["result"] if u is not None}
        return [(i["name"], names.get(i["umkmId"], "")) for i in items]

    async def __call__(self, _number: int) -> tuple[str, float]:
        started = time.perf_counter()
        answers = await asyncio.gather(
            self._sejuk(), self._tangerang(), self._padi(), return_exceptions=True
        )
        ms = (time.perf_counter() - started) * 1000
        failed = [a for a in answers if isinstance(a, BaseException)]
        if len(failed) == len(answers):
            return type(failed[0]).__name__, ms
        if failed:
            return "partial", ms
        # Merge as a gateway would: the first PAGE_SIZE by name.
        merged = sorted(row for a in answers if not isinstance(a, BaseException) for row in a)
        return ("ok" if merged[:PAGE_SIZE] else "empty"), ms

    async def aclose(self) -> None:
        for client in (self.sejuk, self.tangerang, self.padi):
            await client.aclose()


async def timed(path: str, operation: Operation, hub: Hub, clients: int, seconds: float) -> Run:
    """One timed run; CPU from the hub's threads, or from this process for the baseline."""
    own = path == "direct"
    hub_before, own_before = cpu_sample(hub.pid), time.process_time()
    outcome, wall = await drive(operation, clients, seconds)
    spent = (
        (time.process_time() - own_before) * 1000
        if own
        else cpu_ms(hub_before, cpu_sample(hub.pid))
    )
    if outcome.failures:
        shown = ", ".join(f"{k} x{v}" for k, v in sorted(outcome.failures.items()))
        print(f"  {path} x {clients}: {shown}", file=sys.stderr, flush=True)
    return Run(tuple(outcome.latencies), wall, spent, outcome.partial, outcome.errors)


async def measure(
    hub: Hub, credentials: Credentials, urls: dict[str, str], options: GatewayOptions
) -> dict[int, dict[str, Figures]]:
    """Every path at every client count, alternating; the medians."""
    token = await padi_token(urls["padi"])
    queries = {"networks": NETWORKS_QUERY, "index": INDEX_QUERY, "live": LIVE_QUERY}
    results: dict[int, dict[str, Figures]] = {}
    for clients in options.clients:
        operations: dict[str, Operation] = {
            name: HubPath(hub, credentials, query, clients) for name, query in queries.items()
        }
        direct = DirectFanOut(urls, token)
        operations["direct"] = direct
        runs: dict[str, list[Run]] = {path: [] for path in PATHS}
        try:
            for path in PATHS:  # warm-up: connections open, caches filled
                await drive(operations[path], clients, 1.0)
            for _ in range(max(3, options.repeats)):
                for path in PATHS:
                    await settle(hub.pid)
                    run = await timed(path, operations[path], hub, clients, options.seconds)
                    runs[path].append(run)
        finally:
            for operation in operations.values():
                if isinstance(operation, HubPath):
                    operation.close()
            await direct.aclose()
        results[clients] = {path: Figures.of(runs[path]) for path in PATHS}
        print(f"  measured {clients} clients", file=sys.stderr, flush=True)
    return results


async def sample_answer(hub: Hub, credentials: Credentials) -> str:
    """What the index search answers: how many products, how many with a supplier name."""
    path = HubPath(hub, credentials, INDEX_QUERY, 1)
    try:
        answer = await path.connections[0].exchange(path.request)
    finally:
        path.close()
    with contextlib.suppress(orjson.JSONDecodeError, KeyError, TypeError):
        edges = orjson.loads(answer.body)["data"]["search"]["edges"]
        named = sum(1 for e in edges if (e["node"].get("supplier") or {}).get("name"))
        return f"the index search answers {len(edges)} products, {named} with a supplier name"
    return f"the index search answered {answer.status}: {answer.body[:200]!r}"


@contextlib.contextmanager
def running_stack(options: GatewayOptions) -> Iterator[tuple[Hub, dict[str, str]]]:
    """The three networks and the hub (production) as child processes; stopped on the way out."""
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as directory:
        data_dir = Path(directory)

        launchers = reference_launchers(data_dir, options.products, options.seed)
        hub: Hub | None = None
        try:
            urls = {net.code: net.url for launcher in launchers for net in launcher.start()}
            env = {key: value for key, value in os.environ.items() if not key.startswith("HUB_")}
            env.update(
                PYTHONUNBUFFERED="1",
                HUB_ENVIRONMENT="production",
                HUB_DATABASE_URL=f"sqlite+aiosqlite:///{data_dir / 'hub.sqlite3'}",
                HUB_RATE_LIMIT="0",
                HUB_MAX_IN_FLIGHT="0",  # 32 clients would be shed past 16 in flight
                HUB_AUTH_KEYS_DIR=str(data_dir / "keys"),
                HUB_AUTH_TOKEN_TTL=str(24 * 3600),
                # No periodic sync while CPU is measured: the index is loaded once at start.
                HUB_INDEX_SYNC_INTERVAL="86400",
                HUB_INDEX_DIRECTORY_INTERVAL="86400",
                **{f"HUB_NETWORK_{code.upper()}_URL": url for code, url in urls.items()},
            )
            hub = Hub(env, free_port(HOST), data_dir / "hub.log")
            hub.start()
            yield hub, urls
        finally:
            if hub is not None:
                hub.stop()
            for launcher in launchers:
                launcher.stop()


def mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_table(
    results: dict[int, dict[str, Figures]], options: GatewayOptions, note: str, wall: float
) -> None:
    """One row per client count and path, ratios against the direct fan-out, the targets."""
    print()
    print(
        f"gateway: search {SEARCH_TEXT!r} first {PAGE_SIZE} with supplier names; hub index, "
        "hub live and a direct fan-out over the same three networks"
    )
    print(
        f"{'clients':>7} {'path':<9} | {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"| {'CPU ms/req':>10} {'vs direct':>9} | {'partial':>7} {'errors':>6}"
    )
    for clients, paths in results.items():
        base = paths["direct"]
        for path in PATHS:
            f = paths[path]
            ratio = f.cpu / base.cpu if base.cpu else math.nan
            print(
                f"{clients:>7} {path:<9} | {f.rps:>7.0f} {f.p50:>7.1f} {f.p99:>7.1f} "
                f"| {f.cpu:>10.2f} {ratio:>8.2f}x | {f.partial:>7} {f.errors:>6}"
            )
    runs = max(3, options.repeats)
    print(
        f"each figure: the median of {runs} alternations of {options.seconds:g} s runs per "
        f"path; partial and errors summed over them. {options.products:,} products per "
        "network. CPU ms/req: the hub process's CPU time per answered request (direct: this "
        "process's, the baseline gateway's); vs direct = that over the direct fan-out's."
    )
    print(f"sanity: {note}")
    top = max(results)
    at = results[top]
    index, live = at["index"], at["live"]
    index_cpu = max(paths["index"].cpu for paths in results.values())
    nets_cpu = max(paths["networks"].cpu for paths in results.values())
    live_ok = all(paths["live"].cpu <= paths["direct"].cpu for paths in results.values())
    print("targets:")
    print(
        f"  index CPU <= 5 ms/request (stretch 3): {index_cpu:.2f} ms "
        f"({mark(index_cpu <= 5)}; stretch {mark(index_cpu <= 3)})"
    )
    ratio = index.rps / live.rps if live.rps else math.inf
    print(f"  index req/s >= 10x live at {top} clients: {ratio:.1f}x ({mark(ratio >= 10)})")
    print(
        "  live CPU <= the direct fan-out's: "
        + ", ".join(
            f"{c} clients {p['live'].cpu:.2f} vs {p['direct'].cpu:.2f} ms"
            for c, p in results.items()
        )
        + f" ({mark(live_ok)})"
    )
    print(f"  {{ networks {{ code }} }} <= 0.3 ms CPU: {nets_cpu:.2f} ms ({mark(nets_cpu <= 0.3)})")
    print(
        f"  0 partial answers on the index path at {top} clients: {index.partial} "
        f"({mark(index.partial == 0 and index.errors == 0)})"
    )
    print(machine_line("the three networks, the hub and the load driver", wall))


def run(options: GatewayOptions | None = None) -> None:
    """Start everything, wait for the index, measure, print, stop everything."""
    options = options or GatewayOptions()
    started = time.perf_counter()
    print("gateway: starting the three networks and the hub ...", flush=True)
    with sigterm_as_interrupt(), running_stack(options) as (hub, urls):
        credentials = hub.register("gateway-bench")
        if not wait_for_index(hub, credentials):
            raise RuntimeError("the catalog index did not load")
        print(f"gateway: hub pid {hub.pid}, index loaded; measuring ...", flush=True)

        async def main() -> tuple[dict[int, dict[str, Figures]], str]:
            note = await sample_answer(hub, credentials)
            return await measure(hub, credentials, urls, options), note

        results, note = asyncio.run(main())
    print_table(results, options, note, time.perf_counter() - started)
