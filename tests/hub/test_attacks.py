"""The attack table: every attack refused with its code, over HTTP and over WebSocket alike.

One production hub on a free port over the three reference networks (on free ports too);
each row runs once per transport from the same list and asserts the HTTP status (or the
WebSocket answer), the ``extensions.code``, and that no request reached a network
(counted on the networks' side). Rows marked ``reaches_network`` are legitimate requests
kept in the table to show they still pass.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio
import websockets
from starlette.applications import Starlette

from hub.app import create_app
from hub.persisted import sha256_hex
from hub.settings import load_settings
from tests.support.live import LiveNetworks, live_networks
from tests.support.serving import served

pytestmark = pytest.mark.asyncio(loop_scope="module")

NEW = "application/graphql-response+json"
COOPERATIVE_A = base64.urlsafe_b64encode(b"Cooperative:sejuk:K-001").decode().rstrip("=")
COOPERATIVE_B = base64.urlsafe_b64encode(b"Cooperative:tangerang:TGR-K-001").decode().rstrip("=")
COOPERATIVE_C = base64.urlsafe_b64encode(b"Cooperative:padi:K-003").decode().rstrip("=")
ORDER = base64.urlsafe_b64encode(b"Order:ord_0123456789abcdef").decode().rstrip("=")
SCOPES = "catalog:read,orders:read,orders:write,groupbuy:write"


def _depth_bomb(levels: int) -> str:
    link = "partnerCooperatives { partners { supplier { "
    body = link * (levels // 3) + "name" + " } } }" * (levels // 3)
    return f"{{ suppliers(first: 1) {{ edges {{ node {{ {body} }} }} }} }}"


def _persisted(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}


@dataclass(frozen=True)
class Attack:
    """One row: what is sent, and what the hub must answer."""

    name: str
    query: str
    code: str | None
    status: int = 400  # over HTTP, asking for application/graphql-response+json
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    reaches_network: bool = False


ATTACKS = [
    # Every level is a list, so the cost passes its limit before the depth does.
    Attack("depth bomb, 42 levels", _depth_bomb(42), "QUERY_TOO_COMPLEX"),
    Attack(
        "1,000 aliases",
        "{" + " ".join(f"a{i}: networks {{ code }}" for i in range(1000)) + " }",
        "TOO_MANY_FIELDS",
    ),
    Attack(
        "30 aliases",
        "{ search(first: 1) { edges { node {"
        + " ".join(f"a{i}: name" for i in range(30))
        + " } } } }",
        "TOO_MANY_ALIASES",
    ),
    Attack(
        "over cost",
        "{ search(first: 100) { edges { node { tiers { minQuantity } } } } }",
        "QUERY_TOO_COMPLEX",
    ),
    Attack(
        "first: $n with n = 100.0",
        "query($n: Int!) { search(first: $n) { edges { node { name } } } }",
        "QUERY_TOO_COMPLEX",
        variables={"n": 100.0},
    ),
    Attack(
        "58,000 @skip directives (~0.9 MB)",
        "{ networks { code" + " @skip(if: true)" * 58_000 + " } }",
        "QUERY_TOO_LARGE",
    ),
    Attack(
        "2,000 directives within the length",
        "{ networks { code" + " @skip(if:true)" * 2000 + " } }",
        "TOO_MANY_DIRECTIVES",
    ),
    Attack("field flood (~0.9 MB)", "{ networks {" + " code" * 180_000 + " } }", "QUERY_TOO_LARGE"),
    Attack(
        "120 identical selections",
        "{" + " networks { code }" * 120 + " }",
        "QUERY_TOO_COMPLEX",
    ),
    Attack(
        "a ~0.9 MB persisted query",
        "{ networks {" + " code" * 180_000 + " } }",
        "QUERY_TOO_LARGE",
        extensions=_persisted("{ networks {" + " code" * 180_000 + " } }"),
    ),
    Attack("syntax error", "{ networks { code }", "GRAPHQL_PARSE_FAILED"),
    Attack(
        "misspelt field", '{ serch(text: "beras") { totalCount } }', "GRAPHQL_VALIDATION_FAILED"
    ),
    Attack(
        "introspection in production",
        "{ __schema { types { name } } }",
        "GRAPHQL_VALIDATION_FAILED",
    ),
    Attack(
        "another organisation's order, cancelled",
        f'mutation {{ cancelOrder(id: "{ORDER}") {{ id }} }}',
        "NOT_FOUND",
        status=200,
    ),
    Attack(
        "another organisation's participation",
        f'{{ groupBuys(filter: {{participantId: "{COOPERATIVE_C}"}}) {{ edges {{ node {{ id }} }} }} }}',
        "FORBIDDEN",
        status=200,
    ),
    Attack(
        "another organisation's orders",
        f'{{ orders(filter: {{buyerId: "{COOPERATIVE_C}"}}) {{ edges {{ node {{ id }} }} }} }}',
        "FORBIDDEN",
        status=200,
    ),
    Attack(
        "FTS/SQL injection in search text (already held)",
        '{ search(text: "beras\' OR 1=1; -- \\" NEAR(*)", first: 3) { edges { node { name } } } }',
        None,
        status=200,
        reaches_network=True,
    ),
    Attack(
        "search(first: 0, live: true)",
        '{ search(text: "beras", first: 0, live: true) { edges { node { name } } } }',
        None,
        status=200,
    ),
]


@dataclass
class TableHub:
    url: str
    app: Starlette
    networks: LiveNetworks
    tokens: dict[str, str]

    async def token(self, name: str) -> str:
        """A token of its own for ``name``: rate limits are per client."""
        if name not in self.tokens:
            auth = self.app.state.auth
            client = await auth.store.create(COOPERATIVE_A, SCOPES, name=name)
            async with httpx.AsyncClient(base_url=self.url, timeout=30) as http:
                response = await http.post(
                    "/oauth/token",
                    data={"grant_type": "client_credentials"},
                    auth=(client.record.client_id, client.secret),
                )
                response.raise_for_status()
                self.tokens[name] = response.json()["access_token"]
        return self.tokens[name]


@asynccontextmanager
async def hub_on_free_port(
    settings_env: dict[str, str], networks: LiveNetworks
) -> AsyncIterator[tuple[str, Starlette]]:
    """A hub served by uvicorn on a free port until the block ends."""
    settings = load_settings(settings_env).with_network_urls(networks.urls)
    app = create_app(settings)
    async with served(app) as url:
        yield url, app


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def table(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TableHub]:
    data = tmp_path_factory.mktemp("attacks")
    env = {
        "HUB_ENVIRONMENT": "production",
        "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{data}/hub.sqlite3",
        "HUB_AUTH_KEYS_DIR": str(data / "keys"),
        "HUB_INDEX": "false",  # no background sync: the networks count only what rows cause
        "HUB_MAX_COST": "150",
        "HUB_AUTH_FAILURE_BURST": "1000",  # brute force has its own test below
    }
    async with (
        live_networks(data / "networks", products=60) as networks,
        hub_on_free_port(env, networks) as (url, app),
    ):
        yield TableHub(url, app, networks, {})


async def over_http(hub: TableHub, attack: Attack, token: str) -> tuple[int, str | None]:
    body: dict[str, Any] = {"query": attack.query, "variables": attack.variables}
    if attack.extensions:
        body["extensions"] = attack.extensions
    async with httpx.AsyncClient(base_url=hub.url, timeout=60) as http:
        response = await http.post(
            "/graphql",
            json=body,
            headers={"authorization": f"Bearer {token}", "accept": NEW},
        )
    errors = response.json().get("errors") or [{}]
    return response.status_code, errors[0].get("extensions", {}).get("code")


@asynccontextmanager
async def socket(hub: TableHub, token: str) -> AsyncIterator[Any]:
    """A graphql-transport-ws connection, acknowledged."""
    url = hub.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(
        url,
        subprotocols=["graphql-transport-ws"],
        max_size=None,  # type: ignore[list-item]
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), 30))
        assert ack["type"] == "connection_ack", ack
        yield ws


async def answer(ws: Any, operation_id: str) -> dict[str, Any]:
    """The first message for ``operation_id`` (pings and other operations skipped)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if message.get("id") == operation_id:
            return dict(message)


async def close_code(ws: Any) -> int | None:
    """How the hub closes ``ws``, whatever it sends first (generous bound per message)."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 60)
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


async def over_websocket(hub: TableHub, attack: Attack, token: str) -> str | None:
    payload: dict[str, Any] = {"query": attack.query, "variables": attack.variables}
    if attack.extensions:
        payload["extensions"] = attack.extensions
    async with socket(hub, token) as ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = await answer(ws, "1")
    errors = message["payload"] if message["type"] == "error" else message["payload"].get("errors")
    if not errors:
        assert message["type"] == "next", message
        return None
    code: str = errors[0]["extensions"]["code"]
    return code


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
@pytest.mark.parametrize("transport", ["http", "websocket"])
async def test_attack(table: TableHub, attack: Attack, transport: str) -> None:
    token = await table.token(f"{transport}:{attack.name}")
    before = await table.networks.request_counts()
    if transport == "http":
        status, code = await over_http(table, attack, token)
        assert (status, code) == (attack.status, attack.code)
    else:
        assert await over_websocket(table, attack, token) == attack.code
    if not attack.reaches_network:
        assert await table.networks.request_counts() == before


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer not-a-token",
        # alg "none": a forgery the hub has always refused
        "Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0.",
        # a header whose alg holds CR, LF and NUL
        "Bearer "
        + base64.urlsafe_b64encode(
            b'{"alg":"RS256\\r\\nX-Evil: 1\\u0000","kid":"k","typ":"at+jwt"}'
        )
        .decode()
        .rstrip("=")
        + ".eyJzdWIiOiJ4In0.c2ln",
    ],
    ids=["no token", "garbage", "alg none", "alg with CR LF NUL"],
)
async def test_bad_credentials(table: TableHub, authorization: str | None) -> None:
    before = await table.networks.request_counts()
    headers = {"accept": NEW} | ({"authorization": authorization} if authorization else {})
    async with httpx.AsyncClient(base_url=table.url, timeout=30) as http:
        response = await http.post(
            "/graphql", json={"query": "{ networks { code } }"}, headers=headers
        )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"].startswith("Bearer")
    url = table.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        init: dict[str, Any] = {"type": "connection_init"}
        if authorization:
            init["payload"] = {"Authorization": authorization}
        await ws.send(json.dumps(init))
        assert await close_code(ws) == 4403
    assert await table.networks.request_counts() == before


async def test_a_header_that_is_not_latin_1(table: TableHub) -> None:
    async with httpx.AsyncClient(base_url=table.url, timeout=30) as http:
        response = await http.post(
            "/graphql",
            json={"query": "{ networks { code } }"},
            headers=[(b"authorization", "Bearer ключ\u2603".encode())],
        )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_many_operations_on_one_socket_are_rate_limited(table: TableHub) -> None:
    token = await table.token("socket flood")
    codes: list[str | None] = []
    async with socket(table, token) as ws:
        for i in range(120):
            payload = {"query": "{ networks { code } }"}
            await ws.send(json.dumps({"id": str(i), "type": "subscribe", "payload": payload}))
        first: dict[str, dict[str, Any]] = {}
        while len(first) < 120:  # operations run at once: answers come in any order
            message = json.loads(await asyncio.wait_for(ws.recv(), 60))
            first.setdefault(message["id"], message)
    for message in first.values():
        codes.append(
            message["payload"][0]["extensions"]["code"] if message["type"] == "error" else None
        )
    assert None in codes  # the burst was served
    assert "RATE_LIMITED" in codes  # and the rest refused, connection kept


async def test_a_revoked_client_loses_its_open_subscription(table: TableHub) -> None:
    auth = table.app.state.auth
    client = await auth.store.create(COOPERATIVE_A, SCOPES, name="revoked")
    async with httpx.AsyncClient(base_url=table.url, timeout=30) as http:
        response = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client.record.client_id, client.secret),
        )
        token = response.json()["access_token"]
        async with socket(table, token) as ws:
            subscription = f'subscription {{ transactions(cooperativeId: "{COOPERATIVE_A}") {{ __typename }} }}'
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {"query": subscription}})
            )
            await auth.store.revoke(client.record.client_id)
            assert await close_code(ws) == 4403
        after = await http.post(
            "/graphql",
            json={"query": "{ networks { code } }"},
            headers={"authorization": f"Bearer {token}"},
        )
    assert after.status_code == 401


async def test_refused_persisted_queries_are_not_kept(table: TableHub) -> None:
    token = await table.token("persisted")
    memory = table.app.state.pipeline.persisted.memory
    before = memory.size
    for i in range(20):
        query = f"# {i}\n" + "{ networks {" + " code" * 50_000 + " } }"
        status, code = await over_http(
            table, Attack("big", query, None, extensions=_persisted(query)), token
        )
        assert (status, code) == (400, "QUERY_TOO_LARGE")
    assert memory.size == before


async def test_a_websocket_message_over_the_body_limit_closes_the_socket(table: TableHub) -> None:
    token = await table.token("big message")
    async with socket(table, token) as ws:
        query = "{ networks {" + " code" * 250_000 + " } }"  # ~1.25 MB, over 1 MiB
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        assert await close_code(ws) == 1009  # message too big, as a body over the limit is 413
