"""A failing network's error, as a client sees it: what failed, never how.

The network's own body and the URL asked go to the log under a request id; the client
gets the GraphQL code, the network's code and the hub's short reason. And ``first: 0``
is an empty page that asks no network, whether the index or the networks answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
import httpx
import pytest
import pytest_asyncio
from graphql import GraphQLError

from connectors.registry import ConnectorConfig, build_connector
from federation.hub import Federation, FederationLimits
from federation.index.catalog import CatalogIndex
from federation.orders.database import connect
from hub.database import upgrade
from resolvers.context import Context, Services
from resolvers.ids import to_global_id
from tests.schema.conftest import SCHEMA, run
from tests.support.live import CREDENTIALS, LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

MARKER = "rahasia-jaringan-7f3a"  # only ever in the networks' own answers
HOST = "jaringan.internal"
TOKEN = {"access_token": "t", "token_type": "Bearer", "expires_in": 300}
SEARCH = """query S($first: Int!, $live: Boolean!, $after: String) {
  search(text: "beras", first: $first, live: $live, after: $after) {
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor startCursor }
    networks { code status message }
  }
}"""


class Failing:
    """Every network answers ``status`` with a body quoting ``MARKER`` and the URL asked."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.urls: list[httpx.URL] = []

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/oauth/token":
                return httpx.Response(200, json=TOKEN)  # PaDi's token, so its query fails
            self.urls.append(request.url)
            body = {"error": {"message": f"{MARKER} while serving {request.url}"}}
            return httpx.Response(self.status, json=body)

        return httpx.MockTransport(handle)

    def assert_safe(self, error: GraphQLError) -> None:
        assert self.urls, "no network was asked"
        shown = f"{error.message} {error.extensions}"
        secrets = {MARKER, HOST, *(u.path for u in self.urls), *(str(u) for u in self.urls)}
        for secret in secrets:
            assert secret not in shown, (secret, shown)


def failing_federation(status: int) -> tuple[Federation, Failing]:
    failing = Failing(status)
    connectors = [
        build_connector(
            ConnectorConfig(code, code, f"http://{code}.{HOST}", CREDENTIALS[code]),
            transport=failing.transport(),
        )
        for code in ("sejuk", "tangerang", "padi")
    ]
    return Federation(connectors, FederationLimits(deadline=2.0)), failing


def logged_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]


@pytest.mark.parametrize("status", [400, 500])
async def test_a_failing_network_is_named_not_quoted(
    status: int, caplog: pytest.LogCaptureFixture
) -> None:
    federation, failing = failing_federation(status)
    try:
        result = await run(federation, SEARCH, {"first": 5, "live": True})
    finally:
        await federation.aclose()
    assert result.data is not None
    assert result.data["search"]["edges"] == []
    errors = result.errors or []
    assert {e.extensions["network"] for e in errors if e.extensions} == {
        "sejuk",
        "tangerang",
        "padi",
    }
    reason = "request rejected (HTTP 400)" if status == 400 else "server error (HTTP 500)"
    for error in errors:
        failing.assert_safe(error)
        assert error.extensions is not None
        assert error.extensions["code"] == "NETWORK_UNAVAILABLE"
        network = error.extensions["network"]
        if network != "padi":  # PaDi answers GraphQL errors in its own words, logged too
            assert error.message == f"network {network} error: {reason}"
    for network in result.data["search"]["networks"]:
        assert MARKER not in (network["message"] or "")
    # The operator's side: each network's words, with the URL asked, once per request.
    lines = [line for line in logged_lines(caplog) if MARKER in line]
    assert len(lines) == len(failing.urls)
    for url in failing.urls:
        assert any(str(url) in line for line in lines)


async def test_a_fan_out_error_carries_the_request_id_of_its_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    federation, _ = failing_federation(400)
    try:
        result = await run(federation, SEARCH, {"first": 5, "live": True})
    finally:
        await federation.aclose()
    errors = result.errors or []
    assert len(errors) == 3
    lines = logged_lines(caplog)
    for error in errors:
        assert error.extensions is not None
        request_id = error.extensions["requestId"]
        (line,) = [line for line in lines if f"requestId={request_id}" in line]
        assert MARKER in line


@pytest.mark.parametrize("status", [400, 500])
async def test_a_failed_lookup_carries_the_request_id_of_its_log_line(
    status: int, caplog: pytest.LogCaptureFixture
) -> None:
    federation, failing = failing_federation(status)
    product = to_global_id("Product", "sejuk", "1")
    try:
        result = await run(
            federation, "query P($id: ID!) { node(id: $id) { id } }", {"id": product}
        )
    finally:
        await federation.aclose()
    (error,) = result.errors or []
    failing.assert_safe(error)
    assert error.extensions is not None
    assert error.extensions["code"] == "NETWORK_UNAVAILABLE"
    assert error.extensions["network"] == "sejuk"
    request_id = error.extensions["requestId"]
    assert isinstance(request_id, str)
    assert request_id
    (line,) = [line for line in logged_lines(caplog) if f"requestId={request_id}" in line]
    assert MARKER in line
    assert str(failing.urls[0]) in line


# --- first: 0 --------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def index(
    federation: Federation, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[CatalogIndex]:
    """A fully loaded index over the module's live networks."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('index')}/hub.sqlite3"
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    try:
        loaded = CatalogIndex(engine, federation.connectors, stale_after=3600)
        assert all(r.ok for r in await loaded.sync_now())
        yield loaded
    finally:
        await engine.dispose()


async def search_page(
    federation: Federation, index: CatalogIndex | None, **variables: Any
) -> dict[str, Any]:
    context = Context(federation, services=Services(index=index))
    result = await SCHEMA.execute(SEARCH, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    page: dict[str, Any] = result.data["search"]
    return page


async def test_first_0_is_an_empty_page_that_asks_no_network(
    federation: Federation, index: CatalogIndex, clean: LiveNetworks
) -> None:
    live = await search_page(federation, index, first=0, live=True)
    indexed = await search_page(federation, index, first=0, live=False)
    unindexed = await search_page(federation, None, first=0, live=False)
    empty = {"hasNextPage": False, "endCursor": None, "startCursor": None}
    for page in (live, indexed, unindexed):
        assert page["edges"] == []
        assert page["pageInfo"] == empty
    assert {n["status"] for n in live["networks"]} == {"SKIPPED"}
    assert await clean.request_counts() == {"sejuk": 0, "tangerang": 0, "padi": 0}


async def test_first_0_after_a_cursor_keeps_the_cursor_and_asks_no_network(
    federation: Federation, clean: LiveNetworks
) -> None:
    cursor = (await search_page(federation, None, first=3, live=True))["pageInfo"]["endCursor"]
    await clean.reset_counts()
    page = await search_page(federation, None, first=0, live=True, after=cursor)
    assert page["edges"] == []
    assert page["pageInfo"] == {"hasNextPage": False, "endCursor": cursor, "startCursor": None}
    assert await clean.request_counts() == {"sejuk": 0, "tangerang": 0, "padi": 0}
    # ...and the cursor still resumes where it was.
    again = await search_page(federation, None, first=3, live=True, after=cursor)
    assert again["edges"]
