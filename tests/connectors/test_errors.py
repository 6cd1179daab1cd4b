"""Errors say what, not how: a connector error's message is the hub's own short reason.

What the network said and where we asked it (its body, the URL, the transport's exception)
is logged once, at warning level, under a short request id the error carries.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, TypeAdapter

from connectors.base import Connector
from connectors.errors import (
    ConnectorError,
    NetworkProtocolError,
    NetworkRejected,
    NetworkTimeout,
    NetworkUnavailable,
)
from connectors.http import JsonClient, parse
from connectors.records import CooperativeQuery, Page, ProductQuery, SupplierQuery
from connectors.registry import ConnectorConfig, build_connector
from connectors.sejuk.galat import refusal
from tests.connectors.logs import logged_for

MARKER = "rahasia-jaringan-7f3a"  # what only the network's own answer contains
HOST = "network.internal"
PATH = "/v9/internal/katalog"
BASE = f"http://{HOST}"
CREDENTIALS: dict[str, dict[str, str]] = {
    "sejuk": {"api_key": "k"},
    "tangerang": {"client_id": "hub", "secret": "s"},
    "padi": {"client_id": "hub", "client_secret": "s"},
}
Handler = Callable[[httpx.Request], httpx.Response]


def client(handle: Handler) -> JsonClient:
    return JsonClient("sejuk", BASE, timeout=2.0, transport=httpx.MockTransport(handle))


def assert_safe(error: ConnectorError) -> None:
    """Nothing of the network's answer or address reaches the message or the extensions."""
    shown = f"{error} {error.message} {error.extensions}"
    for secret in (MARKER, PATH, HOST, "internal"):
        assert secret not in shown, shown
    assert error.extensions == {"requestId": error.request_id}


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (400, NetworkRejected, "request rejected (HTTP 400)"),
        (404, NetworkRejected, "request rejected (HTTP 404)"),
        (500, NetworkUnavailable, "server error (HTTP 500)"),
        (503, NetworkUnavailable, "server error (HTTP 503)"),
    ],
)
async def test_an_error_answer_is_logged_not_shown(
    status: int, kind: type[ConnectorError], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        body = {"error": f"{MARKER} at {request.url}", "trace": "internal frames"}
        return httpx.Response(status, json=body)

    http = client(handle)
    with pytest.raises(kind) as raised:
        await http.request("GET", PATH, params={"q": "beras"})
    await http.aclose()
    error = raised.value
    assert error.message == message
    assert_safe(error)
    line = logged_for(caplog, error)
    assert MARKER in line
    assert f"{BASE}{PATH}?q=beras" in line
    assert message in line
    if isinstance(error, NetworkRejected):
        # The connector itself may still read the network's answer (SEJUK's galat).
        assert error.status == status
        assert MARKER in json.dumps(error.body)


async def test_a_lookup_may_expect_a_404_without_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    http = client(lambda _: httpx.Response(404, json={"error": MARKER}))
    with pytest.raises(NetworkRejected) as raised:
        await http.request("GET", PATH, expected=(404,))
    await http.aclose()
    assert raised.value.status == 404
    assert raised.value.request_id is None
    assert raised.value.extensions == {}
    assert not [r for r in caplog.records if MARKER in r.getMessage()]


@pytest.mark.parametrize(
    ("failure", "kind", "message"),
    [
        (httpx.ConnectError, NetworkUnavailable, "unreachable"),
        (httpx.ReadTimeout, NetworkTimeout, "no answer in time"),
        (httpx.DecodingError, NetworkProtocolError, "answer the hub cannot read"),
    ],
)
async def test_a_transport_failure_names_no_url(
    failure: type[httpx.RequestError],
    kind: type[ConnectorError],
    message: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        # httpx's own exceptions name the address: they must not reach the client.
        raise failure(f"{MARKER}: failed at {request.url}", request=request)

    http = client(handle)
    with pytest.raises(kind) as raised:
        await http.request("POST", PATH, json={"a": 1})
    await http.aclose()
    assert raised.value.message == message
    assert_safe(raised.value)
    line = logged_for(caplog, raised.value)
    assert MARKER in line
    assert f"POST {BASE}{PATH}" in line


async def test_a_body_that_is_not_json_is_logged_not_shown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    http = client(lambda _: httpx.Response(200, text=f"<html>{MARKER} {PATH}</html>"))
    with pytest.raises(NetworkProtocolError) as raised:
        await http.request("GET", PATH)
    await http.aclose()
    assert raised.value.message == "answer is not JSON"
    assert_safe(raised.value)
    assert MARKER in logged_for(caplog, raised.value)


class _Item(BaseModel):
    id: int


async def test_an_answer_of_the_wrong_shape_is_logged_not_shown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.raises(NetworkProtocolError) as raised:
        parse("sejuk", TypeAdapter(_Item), {"id": f"{MARKER} {BASE}{PATH}"})
    assert raised.value.message == "answer in an unexpected shape"
    assert_safe(raised.value)
    assert MARKER in logged_for(caplog, raised.value)


def _padi_answering(body: Any) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            token = {"access_token": "t", "token_type": "Bearer", "expires_in": 300}
            return httpx.Response(200, json=token)
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        ("INVALID_INPUT", NetworkRejected, "request rejected (INVALID_INPUT)"),
        ("INTERNAL", NetworkUnavailable, "server error (INTERNAL)"),
    ],
)
async def test_padi_graphql_errors_are_logged_not_shown(
    code: str, kind: type[ConnectorError], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    said = f"{MARKER}: resolver failed at {BASE}{PATH}"
    body = {"data": None, "errors": [{"message": said, "extensions": {"code": code}}]}
    config = ConnectorConfig("padi", "padi", BASE, CREDENTIALS["padi"])
    padi = build_connector(config, transport=_padi_answering(body))
    with pytest.raises(kind) as raised:
        await padi.search_products(ProductQuery(text="beras"), None, 5)
    await padi.aclose()
    assert raised.value.message == message
    assert_safe(raised.value)
    assert MARKER in logged_for(caplog, raised.value)


async def test_a_restated_refusal_keeps_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    """SEJUK's order refusals are restated for the buyer, still under the logged request id."""
    galat = {"galat": {"kode": "STOK_TIDAK_CUKUP", "pesan": "stok kurang", "rincian": []}}
    http = client(lambda _: httpx.Response(409, json=galat))
    with pytest.raises(NetworkRejected) as raised:
        await http.request("POST", PATH)
    await http.aclose()
    restated = refusal("sejuk", "order refused", raised.value)
    assert "not enough stock" in restated.message
    assert restated.request_id == raised.value.request_id
    assert "STOK_TIDAK_CUKUP" in logged_for(caplog, restated)


# --- a page of nothing asks nobody --------------------------------------------------------


def _counting(calls: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        # Every network refuses a page size below 1.
        return httpx.Response(400, json={"error": "limit must be 1 or more"})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("kind", ["sejuk", "tangerang", "padi"])
async def test_an_empty_window_asks_no_network(kind: str) -> None:
    calls: list[httpx.Request] = []
    config = ConnectorConfig(kind, kind, BASE, CREDENTIALS[kind])
    connector: Connector = build_connector(config, transport=_counting(calls))
    searches: list[Callable[[], Awaitable[Page[Any]]]] = [
        lambda: connector.search_products(ProductQuery(text="beras"), None, 0),
        lambda: connector.search_suppliers(SupplierQuery(), None, 0),
        lambda: connector.search_cooperatives(CooperativeQuery(), None, 0),
    ]
    for search in searches:
        page = await search()
        assert page.items == ()
        assert page.positions == ()
        assert page.has_more  # nothing was looked at, so nothing is known to be exhausted
    await connector.aclose()
    assert calls == []
