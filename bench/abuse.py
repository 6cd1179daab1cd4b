"""Abuse: what refusing each attack costs the hub, and what it does to a legitimate client.

Everything runs as real processes on 127.0.0.1: the three reference networks (seeded in a
fresh temporary directory) and the hub (``hub serve``, ``HUB_ENVIRONMENT=production``,
the catalog index loaded before anything is measured). OAuth clients are registered with
``hub clients create``: the attacker, the legitimate client, the overload clients, and one
each whose id the forged tokens, wrong secrets and bad-alg token name, so per-client
limits (the rate limit set high, ``--abuse-rate-limit``; failure throttles) never answer
for another's traffic. Each attack also comes from its own loopback address (127.0.1.n;
the legitimate client 127.0.0.2, the overload clients 127.0.0.3) for the same reason with
per-address throttles. The hub's other limits are its defaults, whatever they are today.

For each attack (a GraphQL document sent over HTTP POST /graphql and, separately, over
WebSocket with ``graphql-transport-ws``; or a credentials attack over HTTP):

* **hub CPU**: the hub process's CPU time (the sum over its threads of
  ``/proc/<pid>/task/<tid>/schedstat``, nanoseconds; ``/proc/<pid>/stat`` user+sys where
  that is missing) read before and after sending N copies one after another; milliseconds
  per copy, median of ``repeats`` runs. A run stops early past ``--abuse-budget`` seconds
  (the note says how many copies were sent). The credential attacks and the persisted
  queries are one run of their own count (200 forged tokens, 40 wrong secrets, 150
  distinct ~1 MB registrations, after which the hub's VmRSS growth is noted), with ten
  times the budget. The status and ``errors[0].extensions.code``
  of the very first answer are printed: what the hub said. ``timeout`` means no answer
  within ``--abuse-timeout`` seconds, ``dropped`` that the connection closed without one;
  over WebSocket the status is the first message type (``next``, ``error``) or
  ``close <code>``.
* **legit**: ``--abuse-attackers`` concurrent attackers send the attack for
  ``--abuse-seconds`` while one legitimate client keeps sending ``{ networks { code } }``
  and a 5-product index search, alternately; its p50 and p99 are printed as ratios to the
  same client's figures with nothing else running, measured at the start of the run.

Before each CPU run and each attack phase the hub must be idle (under 10% of a core).
After an attack it must answer ``/healthz`` and go idle within a few seconds, else it is
restarted (noted in the table): copies it is still chewing on would otherwise be charged
to the next attack, and one attack that wedges it would spoil the rest.

The overload test sends the small search from 4 clients (the unloaded p99), then from
``--overload-clients`` clients (200 by default, about 10x what this hub serves at once on 2 cores)
for ``--overload-seconds``: the p99 of the admitted (200) answers against the unloaded
p99 (target at most 2x), the number of 503 answers and the seconds from the start of the
load to the first one. The crowd waits the hub's ``Retry-After`` after a 503, as client
libraries do; a sender that ignores it is a flood, which per-client rate limits answer.

HTTP is spoken with a minimal keep-alive HTTP/1.1 client on raw asyncio streams, one
connection per simulated client, so the load driver (sharing the machine's cores with the
hub) spends as little CPU as it can.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import itertools
import json
import math
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Subprotocol

from bench.federation import (
    HOST,
    machine_line,
    reference_launchers,
    sigterm_as_interrupt,
    stop_process,
    wait_ready,
)
from networks.launcher import free_port
from resolvers.ids import to_global_id

T = TypeVar("T")
ORGANIZATION = to_global_id("Cooperative", "sejuk", "1")
SCOPES = "catalog:read"
NETWORKS_QUERY = "{ networks { code } }"
SEARCH_QUERY = '{ search(text: "beras", first: 5) { edges { node { name } } } }'
LEGIT_QUERIES = (NETWORKS_QUERY, SEARCH_QUERY)
WS_PROTOCOL = Subprotocol("graphql-transport-ws")
INDEX_TIMEOUT = 180.0  # seconds the catalog index may take to load at first start
HEALTH_WAIT = 5.0  # seconds the hub may take to answer /healthz between attacks
RETRY_AFTER = 1.0  # seconds: what hub.pipeline's OVERLOADED answers say

# Source addresses on the loopback: the legitimate client and the overload clients each
# have their own, and so does each attack (127.0.1.n), as they would on the internet.
LEGIT = "127.0.0.2"
CROWD = "127.0.0.3"
SETTLE_WAIT = 5.0  # seconds the hub may take to go idle after an attack, else restarted
LEGIT_GRACE = 5.0  # seconds past the attack the legitimate client's last request may take
ATTACKS = ("depth", "aliases", "cost", "skip", "directives", "flood", "overlap", "variables",
           "apq", "syntax", "misspelt", "tokens", "secrets", "alg")  # fmt: skip


@dataclass(frozen=True)
class AbuseOptions:
    """What to send, how often and for how long."""

    copies: int = 30  # sequential copies of an attack per CPU run
    repeats: int = 3  # CPU runs per attack, the median printed
    budget: float = 2.0  # seconds one CPU run may take before it stops sending
    attackers: int = 4  # concurrent attackers beside the legitimate client
    seconds: float = 2.0  # how long they attack
    overload_clients: int = 200
    overload_seconds: float = 10.0
    unloaded_clients: int = 4
    timeout: float = 30.0  # one request's timeout
    rate_limit: float = 10_000.0  # HUB_RATE_LIMIT and HUB_RATE_LIMIT_BURST, per client
    products: int = 2_000  # per network
    transports: tuple[str, ...] = ("http", "ws")
    only: tuple[str, ...] = ATTACKS
    seed: int = 2026


# --- answers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One attempt: status (``200``, ``timeout``, ``dropped``, ``next``, ``close 4400``...),
    the body of the answer when there was one, and the wall time it took."""

    status: str
    body: bytes
    ms: float

    @property
    def ok(self) -> bool:
        """A 200 (or WebSocket ``next``) without GraphQL errors."""
        return self.status in ("200", "next") and b'"errors"' not in self.body

    def code(self) -> str:
        """``errors[0].extensions.code`` (or an OAuth ``error``); ``-`` when there is none."""
        try:
            payload = orjson.loads(self.body) if self.body else None
        except orjson.JSONDecodeError:
            return "(not JSON)"
        if isinstance(payload, dict) and isinstance(payload.get("payload"), dict | list):
            payload = payload["payload"]  # a graphql-transport-ws message
        if isinstance(payload, list):  # an ``error`` message's payload: the errors
            payload = {"errors": payload}
        if not isinstance(payload, dict):
            return "-"
        errors = payload.get("errors")
        if isinstance(errors, list) and errors:
            first = errors[0] if isinstance(errors[0], dict) else {}
            extensions = first.get("extensions") or {}
            code = extensions.get("code") if isinstance(extensions, dict) else None
            return str(code) if code else "(no code)"
        if isinstance(payload.get("error"), str):
            return str(payload["error"])
        return "-"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in (0, 1]); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


# --- a minimal HTTP/1.1 client --------------------------------------------------------


def http_request(method: str, path: str, headers: dict[str, str], body: bytes, port: int) -> bytes:
    """The bytes of one HTTP/1.1 request with ``Content-Length``."""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HttpConnection:
    """One keep-alive connection, reopened after any failure; one request at a time."""

    def __init__(self, port: int, timeout: float, source: str | None = None) -> None:
        self.port = port
        self.timeout = timeout
        self.source = source
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def exchange(self, request: bytes) -> Answer:
        """Send ``request``, read the answer; ``timeout`` or ``dropped`` instead of raising."""
        started = time.perf_counter()
        reused = self.writer is not None
        try:
            async with asyncio.timeout(self.timeout):
                try:
                    status, body = await self._exchange(request)
                except (ConnectionError, asyncio.IncompleteReadError) as error:
                    # A kept-alive connection the server closed while idle: once more.
                    partial = (
                        error.partial if isinstance(error, asyncio.IncompleteReadError) else b""
                    )
                    if not reused or partial:
                        raise
                    self.close()
                    status, body = await self._exchange(request)
        except TimeoutError:
            self.close()
            return Answer("timeout", b"", (time.perf_counter() - started) * 1000)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            self.close()
            return Answer("dropped", b"", (time.perf_counter() - started) * 1000)
        return Answer(str(status), body, (time.perf_counter() - started) * 1000)

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            local = None if self.source is None else (self.source, 0)
            self.reader, self.writer = await asyncio.open_connection(
                HOST, self.port, local_addr=local
            )
        assert self.reader is not None
        self.writer.write(request)
        with contextlib.suppress(ConnectionError):
            # The server may answer (413, 401) and close before reading a large body.
            await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# --- a minimal graphql-transport-ws client ---------------------------------------------


class WsSession:
    """One WebSocket connection, initialised with a bearer token; one operation at a time."""

    def __init__(
        self, url: str, authorization: str, timeout: float, source: str | None = None
    ) -> None:
        self.url = url
        self.source = source
        self.authorization = authorization
        self.timeout = timeout
        self.socket: ClientConnection | None = None
        self.ids = itertools.count(1)

    async def run(self, payload_json: str) -> Answer:
        """Subscribe with ``payload_json`` (the operation); the first ``next`` or ``error``."""
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                status, body = await self._run(payload_json)
        except TimeoutError:
            await self.close()
            status, body = "timeout", b""
        except ConnectionClosed as closed:
            await self.close()
            frame = closed.rcvd
            status = f"close {frame.code}" if frame is not None else "dropped"
            reason = frame.reason if frame is not None else ""
            body = orjson.dumps({"error": reason.split(":")[0][:40] or "-"})
        except (OSError, InvalidHandshake):
            await self.close()
            status, body = "dropped", b""
        return Answer(status, body, (time.perf_counter() - started) * 1000)

    async def _open(self) -> ClientConnection:
        extra: dict[str, Any] = {} if self.source is None else {"local_addr": (self.source, 0)}
        socket = await connect(
            self.url, subprotocols=[WS_PROTOCOL], max_size=None, ping_interval=None, **extra
        )
        self.socket = socket
        init = {"type": "connection_init", "payload": {"Authorization": self.authorization}}
        await socket.send(json.dumps(init))
        while True:
            message = json.loads(await socket.recv())
            if message.get("type") == "connection_ack":
                return socket
            if message.get("type") == "ping":
                await socket.send('{"type":"pong"}')

    async def _run(self, payload_json: str) -> tuple[str, bytes]:
        socket = self.socket or await self._open()
        operation = str(next(self.ids))
        await socket.send(f'{{"id":"{operation}","type":"subscribe","payload":{payload_json}}}')
        first: tuple[str, bytes] | None = None
        while True:
            raw = await socket.recv()
            text = raw.encode() if isinstance(raw, str) else raw
            message = orjson.loads(text)
            kind = message.get("type")
            if kind == "ping":
                await socket.send('{"type":"pong"}')
            elif message.get("id") != operation:
                continue
            elif kind == "next" and first is None:
                first = ("next", text)
            elif kind == "error":
                return first or ("error", text)
            elif kind == "complete":
                return first or ("complete", text)

    async def close(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()
        self.socket = None


# --- the hub's CPU time and memory ----------------------------------------------------


def cpu_sample(pid: int) -> dict[int, int]:
    """Nanoseconds on CPU of each of ``pid``'s threads (key -1: from /proc/pid/stat)."""
    sample: dict[int, int] = {}
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            path = f"/proc/{pid}/task/{tid}/schedstat"
            with contextlib.suppress(OSError, ValueError, IndexError), open(path) as handle:
                sample[int(tid)] = int(handle.read().split()[0])
    except OSError:
        pass
    if not sample:
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            sample[-1] = ticks * 1_000_000_000 // os.sysconf("SC_CLK_TCK")
    return sample


def cpu_ms(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU milliseconds between two samples; threads that ended in between are left out."""
    return sum(ns - before.get(tid, 0) for tid, ns in after.items()) / 1e6


def rss_mb(pid: int) -> float:
    """The process's resident set (VmRSS) in MB; NaN when it cannot be read."""
    with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return math.nan


async def settle(pid: int, window: float = 0.25, limit: float = SETTLE_WAIT) -> bool:
    """Wait (at most ``limit`` seconds) until the hub is idle, under 10% of a core; idle?"""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_sample(pid)
        await asyncio.sleep(window)
        if cpu_ms(before, cpu_sample(pid)) < window * 100:
            return True
    return False


# --- the hub process ------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A registered OAuth client and an access token of it."""

    client_id: str
    secret: str
    token: str

    @property
    def authorization(self) -> str:
        return f"Bearer {self.token}"


class Hub:
    """``hub serve`` as a child process on a fixed port, restartable."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env = env
        self.port = port
        self.log = log
        self.url = f"http://{HOST}:{port}"
        self.restarts = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        args = [sys.executable, "-m", "hub.cli", "serve", "--host", HOST, "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(args, env=self.env, stdout=log, stderr=log)
        try:
            wait_ready(self.url, self.process)
        except (RuntimeError, TimeoutError):
            tail = self.log.read_text(errors="replace").splitlines()[-15:]
            print("the hub's last words:", *tail, sep="\n  ", file=sys.stderr)
            raise

    def stop(self, grace: float = 10.0) -> None:
        if self.process is not None:
            stop_process(self.process, grace)
            self.process = None

    def restart(self) -> None:
        self.stop(grace=3.0)
        self.restarts += 1
        self.start()

    def register(self, name: str) -> Credentials:
        """A new client of ``ORGANIZATION`` (``hub clients create``) and a token from it."""
        created = subprocess.run(
            [sys.executable, "-m", "hub.cli", "clients", "create", "--org", ORGANIZATION,
             "--scopes", SCOPES, "--name", name],
            env=self.env, capture_output=True, check=True, text=True,
        )  # fmt: skip
        fields = dict(line.split(":", 1) for line in created.stdout.splitlines() if ":" in line)
        client_id, secret = fields["client_id"].strip(), fields["client_secret"].strip()
        answer = httpx.post(
            f"{self.url}/oauth/token",
            data={"grant_type": "client_credentials", "scope": SCOPES},
            auth=(client_id, secret),
            timeout=30.0,
        )
        answer.raise_for_status()
        return Credentials(client_id, secret, answer.json()["access_token"])

    async def healthy(self, wait: float) -> bool:
        """Whether /healthz answers 200 within ``wait`` seconds."""
        connection = HttpConnection(self.port, wait)
        try:
            answer = await connection.exchange(http_request("GET", "/healthz", {}, b"", self.port))
        finally:
            connection.close()
        return answer.status == "200"


@contextlib.contextmanager
def running_stack(options: AbuseOptions) -> Iterator[Hub]:
    """The three networks and the hub (production) as child processes; stopped on the way out."""
    with tempfile.TemporaryDirectory(prefix="bench-abuse-") as directory:
        data_dir = Path(directory)

        launchers = reference_launchers(data_dir, options.products, options.seed)
        hub: Hub | None = None
        try:
            urls = {net.code: net.url for launcher in launchers for net in launcher.start()}
            env = {key: value for key, value in os.environ.items() if not key.startswith("HUB_")}
            rate = options.rate_limit
            env.update(
                PYTHONUNBUFFERED="1",
                HUB_ENVIRONMENT="production",
                HUB_DATABASE_URL=f"sqlite+aiosqlite:///{data_dir / 'hub.sqlite3'}",
                HUB_RATE_LIMIT=f"{rate:g}",
                HUB_RATE_LIMIT_BURST=str(max(50, math.ceil(rate))),
                HUB_AUTH_KEYS_DIR=str(data_dir / "keys"),
                HUB_AUTH_TOKEN_TTL=str(24 * 3600),
                # No periodic sync while CPU is measured: the index is loaded once at start.
                HUB_INDEX_SYNC_INTERVAL="86400",
                HUB_INDEX_DIRECTORY_INTERVAL="86400",
                **{f"HUB_NETWORK_{code.upper()}_URL": url for code, url in urls.items()},
            )
            hub = Hub(env, free_port(HOST), data_dir / "hub.log")
            hub.start()
            yield hub
        finally:
            if hub is not None:
                hub.stop()
            for launcher in launchers:
                launcher.stop()


def wait_for_index(hub: Hub, legit: Credentials) -> bool:
    """Block until every network is in the catalog index (``syncedAt`` set); False if not."""
    deadline = time.monotonic() + INDEX_TIMEOUT
    query = {"query": "{ networks { code syncedAt } }"}
    headers = {"Authorization": legit.authorization}
    with httpx.Client(base_url=hub.url, headers=headers, timeout=10.0) as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError, ValueError, KeyError, TypeError):
                networks = client.post("/graphql", json=query).json()["data"]["networks"]
                if networks and all(net["syncedAt"] for net in networks):
                    return True
            time.sleep(0.5)
    return False


# --- the attacks ----------------------------------------------------------------------


def depth_bomb(levels: int = 42) -> str:
    """``search { edges { node { supplier { partnerCooperatives { partners { supplier ...``."""
    path = ['search(text: "beras", first: 1)', "edges", "node", "supplier"]
    cycle = itertools.cycle(("partnerCooperatives", "partners", "supplier"))
    while len(path) < levels - 1:
        path.append(next(cycle))
    leaf = {"supplier": "name", "partnerCooperatives": "name", "partners": "mouNumber"}[path[-1]]
    return "{ " + " { ".join(path) + " { " + leaf + " }" * len(path) + " }"


NESTED_LISTS = (
    "edges { node { name supplier { name listings { name certifications { kind } } "
    "partnerCooperatives { name partners { mouNumber supplier { name } } } } } }"
)
DOCUMENTS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "depth": ("depth bomb, 42 levels", depth_bomb(), None),
    "aliases": (
        "1,000 aliases",
        "{ " + " ".join(f"a{i}: networks {{ code }}" for i in range(1000)) + " }",
        None,
    ),
    "cost": (
        "over cost: first 100, nested lists",
        f'{{ search(text: "beras", first: 100) {{ {NESTED_LISTS} }} }}',
        None,
    ),
    "skip": (
        "58,000 @skip (1 MB)",
        "{ networks { code" + " @skip(if: true)" * 58_000 + " } }",
        None,
    ),
    "directives": (
        "10,000 directives",
        "{ networks { code" + " @include(if: true)" * 10_000 + " } }",
        None,
    ),
    "flood": ("field flood (1 MB)", "{ networks { " + "code " * 200_000 + "} }", None),
    "overlap": ("500 identical selections", "{ " + "networks { code } " * 500 + "}", None),
    "variables": (
        'first: $n, {"n": 100.0}',
        f'query Q($n: Int!) {{ search(text: "beras", first: $n) {{ {NESTED_LISTS} }} }}',
        {"n": 100.0},
    ),
    "syntax": ("syntax error", "{ networks { code ", None),
    "misspelt": ("misspelt field", "{ netwroks { code } }", None),
}


def always(value: T) -> Callable[[int], T]:
    """The same copy every time."""

    def copy(_i: int) -> T:
        return value

    return copy


def can_bind(address: str) -> bool:
    """Whether a socket can be bound to ``address`` (a loopback alias, on Linux)."""
    with socket.socket() as probe:
        try:
            probe.bind((address, 0))
        except OSError:
            return False
    return True


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Attack:
    """One row: how to make the i-th copy, over HTTP (request bytes) or WebSocket."""

    key: str
    name: str
    transport: str  # "http" or "ws"
    copies: int
    single: bool = False  # one run of ``copies`` (the attack is that many), 10x the budget
    source: str | None = None  # the attackers' source address
    http: Callable[[int], bytes] | None = None
    ws: Callable[[int], str] | None = None  # a subscribe payload, JSON


@dataclass
class Senders:
    """What an attack, the legitimate client and the overload clients send."""

    hub: Hub
    attacker: Credentials
    legit: Credentials
    crowd: Credentials
    # The clients whose id the forged tokens, the wrong secrets and the bad-alg token name,
    # one each: a per-client-id throttle one of them trips does not answer for the others.
    victims: tuple[Credentials, Credentials, Credentials]
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))
    separate: bool = field(default_factory=lambda: can_bind(LEGIT))

    def source(self, address: str) -> str | None:
        """``address`` as a source address, or None where loopback aliases cannot be bound."""
        return address if self.separate else None

    def graphql(self, body: dict[str, Any], credentials: Credentials | None) -> bytes:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if credentials is not None:
            headers["Authorization"] = credentials.authorization
        return http_request("POST", "/graphql", headers, orjson.dumps(body), self.hub.port)

    def attacks(self, options: AbuseOptions) -> list[Attack]:
        rows: list[Attack] = []
        for key in options.only:
            if key in DOCUMENTS:
                name, query, variables = DOCUMENTS[key]
                body: dict[str, Any] = {"query": query}
                if variables is not None:
                    body["variables"] = variables
                request = self.graphql(body, self.attacker)
                payload = orjson.dumps(body).decode()
                if "http" in options.transports:
                    rows.append(Attack(key, name, "http", options.copies, http=always(request)))
                if "ws" in options.transports:
                    rows.append(Attack(key, name, "ws", options.copies, ws=always(payload)))
            elif key == "apq":
                name = "persisted queries, ~1 MB"
                rows.append(Attack(key, name, "http", 150, single=True, http=self.apq))
            elif key == "tokens":
                name = "forged bearer tokens"
                rows.append(Attack(key, name, "http", 200, single=True, http=self.forged))
            elif key == "secrets":
                name = "wrong /oauth/token secret"
                rows.append(Attack(key, name, "http", 40, single=True, http=self.secret))
            elif key == "alg":
                rows.append(
                    Attack(key, "JWT alg with CR/LF/NUL", "http", options.copies, http=self.alg)
                )
        # Each attack from its own address: per-address throttles start afresh for each.
        return [replace(row, source=self.source(f"127.0.1.{n + 1}")) for n, row in enumerate(rows)]

    def apq(self, i: int) -> bytes:
        """A distinct ~1 MB query (a comment, then a tiny query) with its hash."""
        query = f"# {self.nonce} {i:08d} {'x' * 999_900}\n{NETWORKS_QUERY}"
        digest = hashlib.sha256(query.encode()).hexdigest()
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        return self.graphql({"query": query, "extensions": extensions}, self.attacker)

    def forged(self, _i: int) -> bytes:
        """The attacker's real token with a random signature of the same length."""
        header, payload, signature = self.victims[0].token.split(".")
        forged = f"{header}.{payload}.{b64url(os.urandom(len(signature) * 3 // 4))}"
        return self.graphql({"query": NETWORKS_QUERY}, Credentials("-", "-", forged))

    def secret(self, i: int) -> bytes:
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.victims[1].client_id,
                "client_secret": f"wrong-{self.nonce}-{i}",
            }
        ).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return http_request("POST", "/oauth/token", headers, form, self.hub.port)

    def alg(self, _i: int) -> bytes:
        """The attacker's token under a header whose ``alg`` holds CR, LF and NUL."""
        _header, payload, signature = self.victims[2].token.split(".")
        header = b64url(orjson.dumps({"alg": "RS256\r\n\x00", "typ": "at+jwt"}))
        return self.graphql(
            {"query": NETWORKS_QUERY}, Credentials("-", "-", f"{header}.{payload}.{signature}")
        )

    def legit_requests(self) -> tuple[bytes, ...]:
        return tuple(self.graphql({"query": q}, self.legit) for q in LEGIT_QUERIES)

    def crowd_request(self) -> bytes:
        return self.graphql({"query": SEARCH_QUERY}, self.crowd)


# --- measuring ------------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    """A closed-loop client's latencies (ms) and its failed requests by status."""

    latencies_ms: tuple[float, ...]
    failures: Counter[str]

    @property
    def p50(self) -> float:
        return percentile(list(self.latencies_ms), 0.50)

    @property
    def p99(self) -> float:
        return percentile(list(self.latencies_ms), 0.99)

    @property
    def errors(self) -> int:
        return sum(self.failures.values())


@dataclass(frozen=True)
class Row:
    """One attack's figures."""

    attack: Attack
    status: str
    code: str
    cpu_ms: float  # per copy, median over the runs
    runs: int
    sent: int  # copies sent in the runs, in all
    statuses: Counter[str]
    legit: Latency | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Overload:
    """The overload test's figures."""

    clients: int
    seconds: float
    unloaded_p99: float
    admitted_p99: float
    admitted: int
    shed: int  # 503 answers
    first_shed: float | None  # seconds from the start to the first 503
    others: Counter[str]
    hub_cpu_s: float  # the hub's CPU seconds during the load
    driver_cpu_s: float  # this process's, sending it


class Sender:
    """One attacker's transport: an HTTP connection or a WebSocket session."""

    def __init__(self, attack: Attack, hub: Hub, credentials: Credentials, timeout: float) -> None:
        self.attack = attack
        self.http = HttpConnection(hub.port, timeout, attack.source)
        ws_url = f"ws://{HOST}:{hub.port}/graphql"
        self.ws = WsSession(ws_url, credentials.authorization, timeout, attack.source)

    async def send(self, i: int) -> Answer:
        if self.attack.ws is not None:
            return await self.ws.run(self.attack.ws(i))
        assert self.attack.http is not None
        return await self.http.exchange(self.attack.http(i))

    async def close(self) -> None:
        self.http.close()
        await self.ws.close()


async def legit_loop(
    port: int,
    requests: tuple[bytes, ...],
    until: float,
    request_timeout: float,
    source: str | None = None,
) -> Latency:
    """One client sending ``requests`` in turn until ``until`` (monotonic); its latencies."""
    connection = HttpConnection(port, request_timeout, source)
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    try:
        for request in itertools.cycle(requests):
            now = time.monotonic()
            if now >= until:
                break
            # The last request may outlive the phase by LEGIT_GRACE, then it is a timeout.
            connection.timeout = min(request_timeout, until + LEGIT_GRACE - now)
            answer = await connection.exchange(request)
            latencies.append(answer.ms)
            if not answer.ok:
                failures[answer.status if answer.status != "200" else answer.code()] += 1
    finally:
        connection.close()
    return Latency(tuple(latencies), failures)


async def cpu_runs(
    attack: Attack, hub: Hub, sender: Sender, options: AbuseOptions, counter: Iterator[int]
) -> tuple[list[float], int, Answer | None, Counter[str]]:
    """The CPU runs: per-copy milliseconds of each, copies sent, the first answer, statuses."""
    per_copy: list[float] = []
    sent = 0
    first: Answer | None = None
    statuses: Counter[str] = Counter()
    budget = options.budget * (10 if attack.single else 1)
    for _ in range(1 if attack.single else options.repeats):
        pid = hub.pid
        await settle(pid)  # what earlier attacks left queued is not this one's
        before = cpu_sample(pid)
        started = time.monotonic()
        copies = 0
        while copies < attack.copies:
            answer = await sender.send(next(counter))
            copies += 1
            statuses[answer.status] += 1
            first = first or answer
            if answer.status in ("timeout", "dropped") and not await hub.healthy(HEALTH_WAIT):
                break
            if time.monotonic() - started > budget:
                break
        per_copy.append(cpu_ms(before, cpu_sample(pid)) / copies)
        sent += copies
        if time.monotonic() - started > budget or statuses["timeout"]:
            break  # one slow run says enough; the budget bounds the whole benchmark
    return per_copy, sent, first, statuses


async def contention(
    attack: Attack, senders: Senders, options: AbuseOptions, counter: Iterator[int]
) -> Latency:
    """Attackers send ``attack`` for ``options.seconds`` beside the legitimate client."""
    hub = senders.hub
    until = time.monotonic() + options.seconds
    attackers = [
        Sender(attack, hub, senders.attacker, options.timeout) for _ in range(options.attackers)
    ]

    async def attack_loop(sender: Sender) -> None:
        while time.monotonic() < until:
            await sender.send(next(counter))

    tasks = [asyncio.create_task(attack_loop(sender)) for sender in attackers]
    try:
        legit = await legit_loop(
            hub.port, senders.legit_requests(), until, options.timeout, senders.source(LEGIT)
        )
    finally:
        # Attackers still waiting on a slow answer are abandoned, not waited for.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for sender in attackers:
            await sender.close()
    return legit


async def measure_attack(
    attack: Attack, senders: Senders, options: AbuseOptions, counter: Iterator[int]
) -> Row:
    hub = senders.hub
    notes: list[str] = []
    restarts = hub.restarts
    rss_before = rss_mb(hub.pid)
    sender = Sender(attack, hub, senders.attacker, options.timeout)
    try:
        per_copy, sent, first, statuses = await cpu_runs(attack, hub, sender, options, counter)
    finally:
        await sender.close()
    if attack.key == "apq":
        notes.append(f"RSS {rss_mb(hub.pid) - rss_before:+.0f} MB after {sent} registrations")
    planned = attack.copies * (1 if attack.single else options.repeats)
    if attack.single:
        notes.append(f"1 run of {attack.copies}")
    if sent < planned:
        notes.append(f"{sent}/{planned} copies sent")
    legit: Latency | None = None
    if await hub.healthy(HEALTH_WAIT):
        await settle(hub.pid)
        legit = await contention(attack, senders, options, counter)
    # Copies still queued in the hub (attackers abandoned mid-request) would be charged to
    # the next attack: a hub still busy after them is restarted.
    if not (await hub.healthy(HEALTH_WAIT) and await settle(hub.pid)):
        await asyncio.to_thread(hub.restart)
    if hub.restarts > restarts:
        notes.append("hub restarted after it")
    status, code = ("-", "-") if first is None else (first.status, first.code())
    return Row(
        attack,
        status,
        code,
        statistics.median(per_copy) if per_copy else math.nan,
        len(per_copy),
        sent,
        statuses,
        legit,
        tuple(notes),
    )


async def overload(senders: Senders, options: AbuseOptions) -> Overload:
    """4 clients (unloaded p99), then ``overload_clients`` clients for ``overload_seconds``."""
    port = senders.hub.port
    request = (senders.crowd_request(),)
    await settle(senders.hub.pid)
    until = time.monotonic() + max(2.0, options.overload_seconds / 3)
    unloaded = await asyncio.gather(
        *(
            legit_loop(port, request, until, options.timeout, senders.source(CROWD))
            for _ in range(options.unloaded_clients)
        )
    )
    unloaded_p99 = percentile([ms for run in unloaded for ms in run.latencies_ms], 0.99)
    admitted: list[float] = []
    others: Counter[str] = Counter()
    first_shed: float | None = None
    hub_before, driver_before = cpu_sample(senders.hub.pid), time.process_time()
    started = time.monotonic()
    until = started + options.overload_seconds

    async def client() -> None:
        nonlocal first_shed
        connection = HttpConnection(port, options.timeout, senders.source(CROWD))
        try:
            while (now := time.monotonic()) < until:
                connection.timeout = min(options.timeout, until + LEGIT_GRACE - now)
                answer = await connection.exchange(request[0])
                if answer.ok:
                    admitted.append(answer.ms)
                else:
                    if answer.status == "503" and first_shed is None:
                        first_shed = time.monotonic() - started
                    others[answer.status if answer.status != "200" else answer.code()] += 1
                    if answer.status == "503":
                        # As a client library does with the hub's Retry-After (1 s): the
                        # crowd is 10x the hub's capacity, not a flood that ignores it.
                        await asyncio.sleep(RETRY_AFTER)
        finally:
            connection.close()

    await asyncio.gather(*(client() for _ in range(options.overload_clients)))
    hub_cpu = cpu_ms(hub_before, cpu_sample(senders.hub.pid)) / 1000
    driver_cpu = time.process_time() - driver_before
    shed = others.pop("503", 0)
    return Overload(
        options.overload_clients,
        options.overload_seconds,
        unloaded_p99,
        percentile(admitted, 0.99),
        len(admitted),
        shed,
        first_shed,
        others,
        hub_cpu,
        driver_cpu,
    )


@dataclass(frozen=True)
class Results:
    baseline: Latency
    rows: list[Row]
    overload: Overload | None
    indexed: bool
    restarts: int


async def measure(hub: Hub, options: AbuseOptions, indexed: bool, senders: Senders) -> Results:
    counter = itertools.count()
    legit_requests = senders.legit_requests()
    # Warm-up: the legitimate queries' parse and validation caches, connections.
    legit = senders.source(LEGIT)
    await legit_loop(hub.port, legit_requests, time.monotonic() + 1.0, options.timeout, legit)
    await settle(hub.pid)
    until = time.monotonic() + max(2.0, options.seconds)
    baseline = await legit_loop(hub.port, legit_requests, until, options.timeout, legit)
    print(
        f"  legitimate client alone: p50 {baseline.p50:.1f} ms, p99 {baseline.p99:.1f} ms",
        file=sys.stderr,
        flush=True,
    )
    rows = []
    for attack in senders.attacks(options):
        row = await measure_attack(attack, senders, options, counter)
        print(
            f"  {attack.name} over {attack.transport}: {row.status} {row.code}",
            file=sys.stderr,
            flush=True,
        )
        rows.append(row)
    result = None
    if options.overload_clients > 0 and options.overload_seconds > 0:
        result = await overload(senders, options)
    return Results(baseline, rows, result, indexed, hub.restarts)


# --- printing -------------------------------------------------------------------------


def ratio(value: float, base: float) -> str:
    if math.isnan(value) or math.isnan(base) or base <= 0:
        return "-"
    return f"{value / base:.2f}x"


def cpu_text(ms: float) -> str:
    if math.isnan(ms):
        return "-"
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.2f}"


def print_table(results: Results, options: AbuseOptions, wall: float) -> None:
    base = results.baseline
    print()
    print(
        f"abuse: each attack sent {options.copies} times in a row ({options.repeats} runs, "
        f"the hub's CPU per copy the median), then by {options.attackers} attackers for "
        f"{options.seconds:g} s beside one legitimate client"
    )
    print(
        f"legitimate client alone: p50 {base.p50:.2f} ms, p99 {base.p99:.2f} ms "
        f"({len(base.latencies_ms)} requests, {base.errors} failed); below, its p50 and p99 "
        "under each attack as multiples of these"
    )
    print(
        f"{'attack':<36} {'via':<4} | {'status':<9} {'code':<27} | {'CPU ms':>8} "
        f"| {'p50':>6} {'p99':>7} {'failed':>9} | note"
    )
    for row in results.rows:
        legit = row.legit
        p50 = ratio(legit.p50, base.p50) if legit else "-"
        p99 = ratio(legit.p99, base.p99) if legit else "-"
        failed = f"{legit.errors}/{len(legit.latencies_ms)}" if legit else "-"
        notes = list(row.notes)
        if len(row.statuses) > 1:
            notes.append(" ".join(f"{s} x{n}" for s, n in row.statuses.most_common()))
        if legit and legit.failures:
            shown = " ".join(f"{s} x{n}" for s, n in legit.failures.most_common())
            notes.append(f"legit failed: {shown}")
        cpu = cpu_text(row.cpu_ms)
        if row.status == "timeout":
            cpu = f">={cpu}"
        print(
            f"{row.attack.name:<36} {row.attack.transport:<4} | {row.status:<9} "
            f"{row.code:<27} | {cpu:>8} | {p50:>6} {p99:>7} {failed:>9} | {'; '.join(notes)}"
        )
    print(
        "status, code: the first answer (HTTP status, or the first WebSocket message; "
        "timeout: none within "
        f"{options.timeout:g} s; dropped: the connection closed). CPU ms: the hub process's "
        "CPU per copy (>= when a copy timed out: the hub was still working). failed: the "
        "legitimate client's requests that were not a 200 without errors."
    )
    load = results.overload
    if load is not None:
        print()
        print(
            f"overload: {SEARCH_QUERY} from {options.unloaded_clients} clients, then "
            f"{load.clients} clients for {load.seconds:g} s"
        )
        print(
            f"{'unloaded p99':>12} {'admitted p99':>12} {'ratio':>6} {'admitted':>9} "
            f"{'503s':>6} {'first 503':>10} | other"
        )
        first = "-" if load.first_shed is None else f"{load.first_shed:.2f} s"
        other = " ".join(f"{s} x{n}" for s, n in load.others.most_common()) or "-"
        print(
            f"{load.unloaded_p99:>9.1f} ms {load.admitted_p99:>9.1f} ms "
            f"{ratio(load.admitted_p99, load.unloaded_p99):>6} {load.admitted:>9} "
            f"{load.shed:>6} {first:>10} | {other}"
        )
        print(
            "ratio = admitted (200) p99 / unloaded p99, target <= 2x; first 503: seconds "
            f"from the start of the load. CPU during the load: hub {load.hub_cpu_s:.1f} s, "
            f"load driver {load.driver_cpu_s:.1f} s."
        )
    print(
        f"hub: production, rate limit {options.rate_limit:g}/s per client (attackers, "
        "legitimate client and overload clients are separate OAuth clients), other limits "
        f"default; catalog index {'loaded' if results.indexed else 'NOT loaded (live search)'}"
        f", {options.products:,} products per network; hub restarts: {results.restarts}."
    )
    print(machine_line("the three networks, the hub and the load driver", wall))


def run(options: AbuseOptions | None = None) -> None:
    """Start everything, send every attack, run the overload test, print the tables."""
    options = options or AbuseOptions()
    started = time.perf_counter()
    print("abuse: starting the three networks and the hub ...", flush=True)
    with sigterm_as_interrupt(), running_stack(options) as hub:
        attacker, legit, crowd, *victims = (
            hub.register(name)
            for name in ("attacker", "legitimate", "crowd", "tokens", "secrets", "alg")
        )
        indexed = wait_for_index(hub, legit)
        senders = Senders(hub, attacker, legit, crowd, (victims[0], victims[1], victims[2]))
        results = asyncio.run(measure(hub, options, indexed, senders))
    print_table(results, options, time.perf_counter() - started)
