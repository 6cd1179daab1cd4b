"""A federated search through the hub against a direct fan-out, under injected latency.

Everything runs as real processes on 127.0.0.1: the three reference networks (seeded in a
fresh temporary directory) and the hub (``hub serve``, production settings). For each
injected network latency and each number of concurrent clients, two closed-loop load runs
of the same size are timed:

* **hub**: the clients POST one fixed GraphQL search (variables, so the hub's parser and
  validation caches hit) to the hub, which fans out to the three networks, merges and
  answers;
* **baseline**: the clients run a minimal direct fan-out instead, plain asyncio + httpx
  with no GraphQL and no hub: the same search sent to the three networks natively, in
  parallel, waiting for all three.

The baseline waits for the slowest network, so the hub's p50 minus the baseline's p50 is
the hub's own cost (its overhead over the slowest network). The issue's targets: at most
5 ms of that overhead, and hub throughput at least 0.5x the baseline's.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from networks.launcher import Launcher, LaunchOptions, free_port
from networks.tangerang.signing import HmacAuth
from resolvers.ids import to_global_id

HOST = "127.0.0.1"
ADMIN_HEADERS = {"Authorization": "Bearer admin-dev-token"}
SEARCH_TEXT = "beras"
PAGE_SIZE = 20
HUB_QUERY = (
    "query S($t: String) { search(text: $t, first: 20) { edges { node { id name "
    "price { amount } network { code } } } networks { code status latencyMs } } }"
)
HUB_BODY: dict[str, Any] = {"query": HUB_QUERY, "variables": {"t": SEARCH_TEXT}}
# The fields the hub's PaDi connector asks for (connectors/padi/queries.py).
PADI_QUERY = (
    "query S($f: ProductFilter, $size: Int!) { searchProducts(filter: $f, page: 1, size: $size)"
    " { total items { id umkmId name category unit price stock minOrder description"
    " regionCode } } }"
)
PADI_BODY: dict[str, Any] = {
    "query": PADI_QUERY,
    "variables": {"f": {"text": SEARCH_TEXT}, "size": PAGE_SIZE},
}
# Dev credentials the reference networks are seeded with (tests/support/live.py).
SEJUK_API_KEY = "sejuk-dev-key"
TANGERANG_CLIENT = ("koperasi-hub", "tangerang-dev-secret")
PADI_CLIENT = ("koperasi-hub", "padi-dev-secret")
# PaDi's per-client limit (20/s, burst 40) would throttle both hub and baseline to a
# trickle; the benchmark measures the federation, not that limit. Only PaDi has the flags.
PADI_ARGS = (
    "--rate-limit-per-second", "1000000", "--rate-limit-burst", "1000000",
    "--token-ttl-seconds", "3600",
)  # fmt: skip
# The pool each hub connector uses (connectors/http.py); the baseline uses the same.
UPSTREAM_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=32)
REQUEST_TIMEOUT = 30.0  # seconds, one request of the load driver
RUN_TIMEOUT = 180.0  # seconds, one timed run (or warm-up) of one cell
READY_TIMEOUT = 120.0  # seconds, the hub answering /readyz with every network up


@dataclass(frozen=True)
class FederationOptions:
    """What to measure: the grid of cells, the size of each run and the data."""

    latencies_ms: tuple[int, ...] = (20, 40, 60)
    clients: tuple[int, ...] = (32, 128)
    requests: int = 600
    # One run per cell keeps the whole benchmark near 3 minutes on 2 cores; 3 take ~7.
    repeats: int = 1
    products: int = 2_000
    seed: int = 2026


@dataclass(frozen=True)
class RunResult:
    """One timed run: every request's latency, the wall time and the failed requests."""

    latencies_ms: tuple[float, ...]
    seconds: float
    errors: int

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the latencies (``share`` in (0, 1])."""
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(share * len(ordered)))
        return ordered[rank - 1]

    @property
    def rps(self) -> float:
        """Completed requests per second of wall time."""
        return len(self.latencies_ms) / self.seconds


@dataclass(frozen=True)
class Summary:
    """Median over the repetitions of one side (hub or baseline) of one cell."""

    p50: float
    p99: float
    rps: float
    errors: int

    @classmethod
    def of(cls, runs: list[RunResult]) -> Summary:
        return cls(
            p50=statistics.median(r.percentile(0.50) for r in runs),
            p99=statistics.median(r.percentile(0.99) for r in runs),
            rps=statistics.median(r.rps for r in runs),
            errors=sum(r.errors for r in runs),
        )


@dataclass(frozen=True)
class Cell:
    """One row of the table."""

    latency_ms: int
    clients: int
    hub: Summary
    baseline: Summary


Operation = Callable[[], Awaitable[bool]]


async def drive(operation: Operation, clients: int, requests: int) -> RunResult:
    """Run ``operation`` ``requests`` times from ``clients`` concurrent loops.

    Closed loop: each client starts its next request when its previous one is done. A
    request that raises or answers wrongly counts as an error (its latency still counts).
    """
    remaining = requests
    latencies: list[float] = []
    errors = 0

    async def client() -> None:
        nonlocal remaining, errors
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                ok = await operation()
            except (httpx.HTTPError, ValueError, KeyError, TypeError):
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok

    started = time.perf_counter()
    async with asyncio.timeout(RUN_TIMEOUT):
        await asyncio.gather(*(client() for _ in range(clients)))
    return RunResult(tuple(latencies), time.perf_counter() - started, errors)


class HubSearch:
    """The federated search sent to the hub; OK when all three networks answered OK.

    ``failures`` counts what went wrong: ``network STATUS`` or ``HTTP nnn``.
    """

    def __init__(
        self, hub_url: str, headers: dict[str, str], clients: int, failures: Counter[str]
    ) -> None:
        self.failures = failures
        self.client = httpx.AsyncClient(
            base_url=hub_url,
            headers=headers,
            timeout=REQUEST_TIMEOUT,
            limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients),
        )

    async def __call__(self) -> bool:
        response = await self.client.post("/graphql", json=HUB_BODY)
        if response.status_code != 200:
            self.failures[f"HTTP {response.status_code}"] += 1
            return False
        body = response.json()
        bad = [n for n in body["data"]["search"]["networks"] if n["status"] != "OK"]
        for network in bad:
            self.failures[f"{network['code']} {network['status']}"] += 1
        return "errors" not in body and not bad

    async def aclose(self) -> None:
        await self.client.aclose()


def network_clients(
    urls: dict[str, str], padi_token: str
) -> tuple[httpx.AsyncClient, httpx.AsyncClient, httpx.AsyncClient]:
    """SEJUK's, Tangerang's and PaDi's own APIs, each signed in as the hub is."""
    common: dict[str, Any] = {"timeout": REQUEST_TIMEOUT, "limits": UPSTREAM_LIMITS}
    return (
        httpx.AsyncClient(base_url=urls["sejuk"], headers={"X-API-Key": SEJUK_API_KEY}, **common),
        httpx.AsyncClient(base_url=urls["tangerang"], auth=HmacAuth(*TANGERANG_CLIENT), **common),
        httpx.AsyncClient(
            base_url=urls["padi"], headers={"Authorization": f"Bearer {padi_token}"}, **common
        ),
    )


class DirectFanOut:
    """The baseline: the same search to each network in its own API, in parallel."""

    def __init__(self, urls: dict[str, str], padi_token: str) -> None:
        self.sejuk, self.tangerang, self.padi = network_clients(urls, padi_token)

    async def _sejuk(self) -> bool:
        params: dict[str, str | int] = {"q": SEARCH_TEXT, "per_halaman": PAGE_SIZE}
        response = await self.sejuk.get("/api/v1/produk", params=params)
        return response.status_code == 200 and isinstance(response.json()["data"], list)

    async def _tangerang(self) -> bool:
        params: dict[str, str | int] = {"q": SEARCH_TEXT, "limit": PAGE_SIZE}
        response = await self.tangerang.get("/v2/catalog/items", params=params)
        return response.status_code == 200 and isinstance(response.json(), dict)

    async def _padi(self) -> bool:
        response = await self.padi.post("/graphql", json=PADI_BODY)
        if response.status_code != 200:
            return False
        body = response.json()
        return "errors" not in body and isinstance(body["data"]["searchProducts"]["items"], list)

    async def __call__(self) -> bool:
        answers = await asyncio.gather(self._sejuk(), self._tangerang(), self._padi())
        return all(answers)

    async def aclose(self) -> None:
        for client in (self.sejuk, self.tangerang, self.padi):
            await client.aclose()


async def padi_token(padi_url: str) -> str:
    """One access token from PaDi's client-credentials grant."""
    async with httpx.AsyncClient(base_url=padi_url, timeout=REQUEST_TIMEOUT) as client:
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=httpx.BasicAuth(*PADI_CLIENT),
        )
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


async def set_latency(urls: dict[str, str], latency_ms: int) -> None:
    """Inject the same fixed latency (no jitter) into every network."""
    async with httpx.AsyncClient(headers=ADMIN_HEADERS, timeout=REQUEST_TIMEOUT) as client:
        for url in urls.values():
            response = await client.put(
                f"{url}/admin/faults", json={"latency_ms": latency_ms, "jitter_ms": 0}
            )
            response.raise_for_status()


async def measure(
    urls: dict[str, str], hub: RunningHub, options: FederationOptions, failures: Counter[str]
) -> list[Cell]:
    """Every cell of the grid; hub and baseline runs interleaved within a cell.

    ``failures`` collects why the hub's answers failed, warm-ups included.
    """
    token = await padi_token(urls["padi"])
    # Any organisation may read the catalog: a cooperative's partner app stands in.
    headers = hub.headers(to_global_id("Cooperative", "sejuk", "1"), "catalog:read")
    cells = []
    for latency in options.latencies_ms:
        await set_latency(urls, latency)
        for clients in options.clients:
            search = HubSearch(hub.url, headers, clients, failures)
            baseline = DirectFanOut(urls, token)
            try:
                warm_up = 2 * clients
                hub_warm = await drive(search, clients, warm_up)
                base_warm = await drive(baseline, clients, warm_up)
                if hub_warm.errors or base_warm.errors:
                    print(
                        f"  warm-up errors at {latency} ms x {clients}: "
                        f"hub {hub_warm.errors}, baseline {base_warm.errors}",
                        flush=True,
                    )
                hub_runs, base_runs = [], []
                for _ in range(options.repeats):
                    hub_runs.append(await drive(search, clients, options.requests))
                    base_runs.append(await drive(baseline, clients, options.requests))
            finally:
                await search.aclose()
                await baseline.aclose()
            cell = Cell(latency, clients, Summary.of(hub_runs), Summary.of(base_runs))
            print(f"  measured {latency} ms x {clients} clients", file=sys.stderr, flush=True)
            cells.append(cell)
    return cells


def wait_ready(hub_url: str, process: subprocess.Popen[bytes]) -> None:
    """Block until the hub's /readyz reports every network up; raise if it cannot."""
    deadline = time.monotonic() + READY_TIMEOUT
    with httpx.Client(timeout=2.0) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the hub exited with code {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                answer = client.get(f"{hub_url}/readyz")
                if answer.status_code == 200 and answer.json().get("status") == "ok":
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the hub was not ready after {READY_TIMEOUT:.0f} s")
            time.sleep(0.1)


@dataclass(frozen=True)
class RunningHub:
    """A ``hub serve`` child process, and how to get tokens from it."""

    process: subprocess.Popen[bytes]
    url: str
    env: dict[str, str]

    def headers(self, organization: str, scopes: str) -> dict[str, str]:
        """An ``Authorization`` header for a new client of ``organization`` with ``scopes``.

        The client is registered with ``hub clients create`` on the hub's own database and
        the token comes from its /oauth/token, as a partner app would get one.
        """
        created = subprocess.run(
            [
                sys.executable,
                "-m",
                "hub.cli",
                "clients",
                "create",
                "--org",
                organization,
                "--scopes",
                scopes,
            ],
            env=self.env,
            capture_output=True,
            check=True,
            text=True,
        )
        fields = dict(line.split(":", 1) for line in created.stdout.splitlines() if ":" in line)
        answer = httpx.post(
            f"{self.url}/oauth/token",
            data={"grant_type": "client_credentials", "scope": scopes.replace(",", " ")},
            auth=(fields["client_id"].strip(), fields["client_secret"].strip()),
            timeout=REQUEST_TIMEOUT,
        )
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def start_hub(urls: dict[str, str], database_url: str, keys_dir: Path) -> RunningHub:
    """``hub serve`` on a free port over ``urls`` and ``database_url``, production, ready.

    Production asks every request for a token (see ``RunningHub.headers``). Rate limiting
    is off: the load driver is one client on purpose, and the figures are the hub's
    throughput, not its abuse limits.
    """
    port = free_port(HOST)
    env = {key: value for key, value in os.environ.items() if not key.startswith("HUB_")}
    env.update(
        PYTHONUNBUFFERED="1",
        HUB_ENVIRONMENT="production",
        HUB_DATABASE_URL=database_url,
        HUB_RATE_LIMIT="0",
        HUB_AUTH_KEYS_DIR=str(keys_dir),
        HUB_AUTH_TOKEN_TTL=str(24 * 3600),  # outlives the longest benchmark
        **{f"HUB_NETWORK_{code.upper()}_URL": url for code, url in urls.items()},
    )
    args = [sys.executable, "-m", "hub.cli", "serve", "--host", HOST, "--port", str(port)]
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    hub_url = f"http://{HOST}:{port}"
    try:
        wait_ready(hub_url, process)
    except BaseException:
        stop_process(process)
        raise
    return RunningHub(process, hub_url, env)


def stop_process(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block SIGTERM raises KeyboardInterrupt, so clean-up runs as on Ctrl-C."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handle)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def reference_launchers(data_dir: Path, products: int, seed: int) -> list[Launcher]:
    """Launchers of the three reference networks on free ports, seeded alike in
    ``data_dir``: two, as PaDi's rate-limit flags are unknown to the other two networks."""

    def launch(ports: dict[str, int], extra: tuple[str, ...] = ()) -> Launcher:
        return Launcher(
            LaunchOptions(
                host=HOST,
                data_dir=data_dir,
                products=products,
                seed=seed,
                ports=ports,
                extra_args=extra,
            )
        )

    return [launch({"sejuk": 0, "tangerang": 0}), launch({"padi": 0}, PADI_ARGS)]


@contextlib.contextmanager
def running_stack(options: FederationOptions) -> Iterator[tuple[dict[str, str], RunningHub]]:
    """The three networks and the hub as child processes; all stopped on the way out.

    Yields the networks' base URLs by code and the running hub.
    """
    with tempfile.TemporaryDirectory(prefix="bench-federation-") as directory:
        data_dir = Path(directory)

        launchers = reference_launchers(data_dir, options.products, options.seed)
        hub: RunningHub | None = None
        try:
            urls = {net.code: net.url for launcher in launchers for net in launcher.start()}
            database = f"sqlite+aiosqlite:///{data_dir / 'hub.sqlite3'}"
            hub = start_hub(urls, database, data_dir / "keys")
            yield urls, hub
        finally:
            if hub is not None:
                stop_process(hub.process)
            for launcher in launchers:
                launcher.stop()


def print_table(
    cells: list[Cell], options: FederationOptions, failures: Counter[str], wall: float
) -> None:
    """The figures: one row per latency and client count."""
    runs = "one run" if options.repeats == 1 else f"median of {options.repeats} runs"
    print()
    print(
        f"federation: search {SEARCH_TEXT!r} first {PAGE_SIZE}, hub vs direct fan-out "
        "(latencies in ms, throughput in requests/s)"
    )
    print(
        f"{'latency':>7} {'clients':>7} | {'hub p50':>7} {'p99':>7} {'req/s':>7} "
        f"| {'base p50':>8} {'p99':>7} {'req/s':>7} | {'overhead':>8} {'ratio':>6} "
        f"| {'errors':>6}"
    )
    for cell in cells:
        hub, base = cell.hub, cell.baseline
        print(
            f"{cell.latency_ms:>7} {cell.clients:>7} | {hub.p50:>7.1f} {hub.p99:>7.1f} "
            f"{hub.rps:>7.0f} | {base.p50:>8.1f} {base.p99:>7.1f} {base.rps:>7.0f} "
            f"| {hub.p50 - base.p50:>+8.1f} {hub.rps / base.rps:>5.2f}x "
            f"| {hub.errors:>3}/{base.errors:<2}"
        )
    print(
        "overhead = hub p50 - baseline p50 (the baseline waits for the slowest network); "
        "ratio = hub req/s / baseline req/s. Targets: overhead <= 5 ms, ratio >= 0.5x."
    )
    print(
        f"each figure: {runs} of {options.requests} requests after a warm-up of 2 x clients "
        f"requests; {options.products:,} products per network. errors: failed requests "
        "hub/baseline (not 200, GraphQL errors, or a network not OK, e.g. past the hub's "
        "deadline)."
    )
    if failures:
        shown = ", ".join(f"{what} x{count}" for what, count in sorted(failures.items()))
        print(f"hub failures by network and status (warm-ups included): {shown}")
    print(machine_line("the three networks, the hub and the load driver", wall))


def machine_line(sharers: str, wall: float) -> str:
    """Where the figures came from: the cores that ``sharers`` shared, and how long it took."""
    return (
        f"machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}; {sharers} share them. Wall time {wall:.0f} s."
    )


def run(options: FederationOptions | None = None) -> None:
    """Start everything, measure every cell, print the table, stop everything."""
    options = options or FederationOptions()
    started = time.perf_counter()
    print("federation: starting the three networks and the hub ...", flush=True)
    failures: Counter[str] = Counter()
    with sigterm_as_interrupt(), running_stack(options) as (urls, hub):
        cells = asyncio.run(measure(urls, hub, options, failures))
    print_table(cells, options, failures, time.perf_counter() - started)
