"""TangerangConnector orders against the real Tangerang network: one order per reference."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.errors import NetworkProtocolError, NetworkRejected, NetworkUnavailable
from connectors.records import (
    Buyer,
    OrderLineRecord,
    OrderLineRequest,
    OrderRecord,
    OrderRequest,
    OrderStatus,
)
from connectors.registry import ConnectorConfig
from connectors.tangerang import TangerangConnector
from connectors.tangerang.orders import refusal
from networks.tangerang.app import create_app
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth

CLIENT_ID = "koperasi-hub"
SECRET = "tangerang-dev-secret"
OTHER = HmacAuth("other-app", "other-secret")
ADMIN = {"Authorization": "Bearer admin-dev-token"}
BUYER = Buyer(
    name="Koperasi Konsumen Sejahtera",
    organization_id="Q29vcGVyYXRpdmU6c2VqdWs6MTc=",
    home_network="sejuk",
    delivery_region_code="32.73",
)
# Items the tests put into Tangerang's catalog, so prices, stock and minimums are exact.
PLENTY, MINIMUM, SCARCE, UNKNOWN_STOCK = "itm_000901", "itm_000902", "itm_000903", "itm_000904"
CATALOG: dict[str, dict[str, Any]] = {
    PLENTY: {"price": "25000.00", "stock": 1_000, "min_order": 1},
    MINIMUM: {"price": "40000", "stock": 100, "min_order": 3},
    SCARCE: {"price": "30000.00", "stock": 5, "min_order": 1},
    UNKNOWN_STOCK: {"price": "12500.00", "stock": None, "min_order": 1},
}


def config(**credentials: str) -> ConnectorConfig:
    return ConnectorConfig(
        code="tangerang",
        kind="tangerang",
        base_url="http://network",
        credentials=credentials or {"client_id": CLIENT_ID, "secret": SECRET},
    )


def order(reference: str, *lines: tuple[str, int], buyer: Buyer = BUYER) -> OrderRequest:
    return OrderRequest(
        reference=reference,
        buyer=buyer,
        lines=tuple(OrderLineRequest(product_id=item, quantity=qty) for item, qty in lines),
    )


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = TangerangSettings(
        data_dir=tmp_path,
        products=150,
        hmac_clients={CLIENT_ID: SECRET, "other-app": "other-secret"},
    )
    network = create_app(settings)
    async with network.router.lifespan_context(network):
        yield network


@pytest.fixture
async def native(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The network's own API signed as the hub: to look behind the connector and to admin."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://network",
        auth=HmacAuth(CLIENT_ID, SECRET),
    ) as client:
        for item_id, fields in CATALOG.items():
            body = {
                "merchant_id": "mrc_000001",
                "name": f"Beras uji {item_id}",
                "category": "beras",
                "unit": "karung",
                **fields,
            }
            response = await client.put(f"/admin/items/{item_id}", json=body, headers=ADMIN)
            assert response.status_code == 201, response.text
        yield client


@pytest.fixture
async def tangerang(app: Starlette, native: httpx.AsyncClient) -> AsyncIterator[TangerangConnector]:
    connector = TangerangConnector(config(), transport=httpx.ASGITransport(app=app))
    yield connector
    await connector.aclose()


async def network_orders(native: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    """The hub's orders as the network lists them."""
    response = await native.get("/v2/orders", params={"limit": "100", **params})
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def stock(native: httpx.AsyncClient, item_id: str) -> int | None:
    found: int | None = (await native.get(f"/v2/catalog/items/{item_id}")).json()["stock"]
    return found


async def advance(native: httpx.AsyncClient, order_id: str) -> str:
    response = await native.post(f"/admin/orders/{order_id}:advance", headers=ADMIN)
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


async def test_place_get_and_cancel(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    placed = await tangerang.place_order(order("sub-1", (PLENTY, 4), (MINIMUM, 3)))
    assert placed == OrderRecord(
        network="tangerang",
        id=placed.id,
        reference="sub-1",
        status=OrderStatus.CREATED,
        lines=(
            OrderLineRecord(product_id=PLENTY, quantity=4, unit_price=25_000, amount=100_000),
            OrderLineRecord(product_id=MINIMUM, quantity=3, unit_price=40_000, amount=120_000),
        ),
        total=220_000,
    )
    (mine,) = await network_orders(native)
    assert mine["id"] == placed.id
    assert mine["buyer"] == {
        "name": BUYER.name,
        "organization_id": BUYER.organization_id,
        "home_network": "sejuk",
        "delivery_region_code": "32.73",
    }
    assert await stock(native, PLENTY) == 996
    assert await tangerang.get_order(placed.id) == placed

    cancelled = await tangerang.cancel_order(placed.id)
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled == replace(placed, status=OrderStatus.CANCELLED)
    assert await tangerang.cancel_order(placed.id) == cancelled
    assert await tangerang.get_order(placed.id) == cancelled
    assert await stock(native, PLENTY) == 1_000


async def test_same_reference_twice_is_one_order(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    request = order("twice", (PLENTY, 2))
    first = await tangerang.place_order(request)
    second = await tangerang.place_order(request)
    assert second == first
    assert [o["id"] for o in await network_orders(native)] == [first.id]
    assert await stock(native, PLENTY) == 998


async def test_concurrent_placements_of_one_reference_make_one_order(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    request = order("burst", (PLENTY, 5), (UNKNOWN_STOCK, 7))
    placed = await asyncio.gather(*(tangerang.place_order(request) for _ in range(10)))
    assert len(set(placed)) == 1
    assert [o["id"] for o in await network_orders(native)] == [placed[0].id]
    assert await stock(native, PLENTY) == 995
    created = (await native.get("/v2/transactions", params={"limit": "100"})).json()["items"]
    assert [t["order_id"] for t in created if t["type"] == "order_created"] == [placed[0].id]


async def test_retry_returns_the_order_that_landed(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    landed = await tangerang.place_order(order("landed", (PLENTY, 1)))
    assert await tangerang.place_order(order("landed", (PLENTY, 1)), retry=True) == landed
    # A retry of a placement that never arrived places it, once.
    assert await tangerang.find_order("lost") is None
    retried = await tangerang.place_order(order("lost", (PLENTY, 1)), retry=True)
    assert await tangerang.place_order(order("lost", (PLENTY, 1)), retry=True) == retried
    assert [o["idempotency_key"] for o in await network_orders(native)] == ["landed", "lost"]


async def test_find_order_looks_without_placing(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    assert await tangerang.find_order("found-later") is None
    assert await network_orders(native) == []
    placed = await tangerang.place_order(order("found-later", (SCARCE, 2)))
    assert await tangerang.find_order("found-later") == placed
    await advance(native, placed.id)
    found = await tangerang.find_order("found-later")
    assert found is not None
    assert found.status is OrderStatus.CONFIRMED
    # Keys are the client's own: another partner's order under the same key is not ours.
    theirs = await native.post(
        "/v2/orders",
        json={
            "buyer": {
                "name": "Lain",
                "organization_id": "x",
                "home_network": "padi",
                "delivery_region_code": "31.71",
            },
            "lines": [{"item_id": PLENTY, "quantity": 1}],
        },
        headers={"Idempotency-Key": "theirs"},
        auth=OTHER,
    )
    assert theirs.status_code == 201
    assert await tangerang.find_order("theirs") is None
    assert await tangerang.get_order(theirs.json()["id"]) is None


@pytest.mark.parametrize(
    ("lines", "status", "code", "words"),
    [
        (((SCARCE, 6),), 409, "insufficient_stock", f"{SCARCE}: only 5 in stock"),
        (((MINIMUM, 2),), 422, "below_min_order", f"{MINIMUM}: minimum order is 3"),
        (((PLENTY, 1), ("itm_777777", 1)), 422, "unknown_item", "itm_777777: not found"),
        (((PLENTY, 1), ("beras-premium", 1)), 422, "unknown_item", "beras-premium: not found"),
        (((PLENTY, 1), (PLENTY, 2)), 422, "duplicate_line", f"{PLENTY}: repeated"),
        (((PLENTY, 0),), 422, "unprocessable", "quantity"),
    ],
)
async def test_refusals_write_nothing(
    tangerang: TangerangConnector,
    native: httpx.AsyncClient,
    lines: tuple[tuple[str, int], ...],
    status: int,
    code: str,
    words: str,
) -> None:
    with pytest.raises(NetworkRejected) as caught:
        await tangerang.place_order(order("refused", *lines))
    assert caught.value.status == status
    assert f"[{code}]" in caught.value.message
    assert words in caught.value.message
    assert await network_orders(native) == []
    assert await tangerang.find_order("refused") is None
    assert [await stock(native, item) for item in (PLENTY, MINIMUM, SCARCE)] == [1_000, 100, 5]


async def test_deleted_items_are_refused(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    assert (await native.delete(f"/admin/items/{PLENTY}", headers=ADMIN)).status_code == 204
    with pytest.raises(NetworkRejected) as caught:
        await tangerang.place_order(order("gone", (PLENTY, 1)))
    assert caught.value.status == 422
    assert f"{PLENTY}: not found" in caught.value.message
    assert await network_orders(native) == []


async def test_a_reference_reused_for_another_order_is_refused(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    placed = await tangerang.place_order(order("reused", (PLENTY, 1)))
    with pytest.raises(NetworkRejected) as caught:
        await tangerang.place_order(order("reused", (PLENTY, 2)))
    assert caught.value.status == 422
    assert "[idempotency_key_reused]" in caught.value.message
    assert [o["id"] for o in await network_orders(native)] == [placed.id]


async def test_status_follows_the_whole_lifecycle(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    placed = await tangerang.place_order(order("lifecycle", (PLENTY, 3)))
    seen = [placed.status]
    for expected in ("confirmed", "shipped", "delivered"):
        assert await advance(native, placed.id) == expected
        current = await tangerang.get_order(placed.id)
        assert current is not None
        seen.append(current.status)
        if expected != "confirmed":
            with pytest.raises(NetworkRejected) as caught:
                await tangerang.cancel_order(placed.id)
            assert caught.value.status == 409
            assert f"an order that is {expected} cannot be cancelled" in caught.value.message
    assert seen == [
        OrderStatus.CREATED,
        OrderStatus.CONFIRMED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    ]
    assert await stock(native, PLENTY) == 997


async def test_cancel_after_confirmation_and_unknown_orders(
    tangerang: TangerangConnector, native: httpx.AsyncClient
) -> None:
    placed = await tangerang.place_order(order("confirmed-then-cancelled", (SCARCE, 5)))
    await advance(native, placed.id)
    assert (await tangerang.cancel_order(placed.id)).status is OrderStatus.CANCELLED
    assert await stock(native, SCARCE) == 5
    for unknown in ("ord_999999", "nonsense", "../catalog/items/itm_000001", ""):
        assert await tangerang.get_order(unknown) is None
        with pytest.raises(NetworkRejected) as caught:
            await tangerang.cancel_order(unknown)
        assert caught.value.status == 404


@pytest.mark.parametrize(
    ("faults", "error"),
    [({"down": "503"}, NetworkUnavailable), ({"malformed_rate": 1}, NetworkProtocolError)],
)
async def test_network_failures_keep_their_errors(
    tangerang: TangerangConnector,
    native: httpx.AsyncClient,
    faults: dict[str, Any],
    error: type[Exception],
) -> None:
    placed = await tangerang.place_order(order("before", (PLENTY, 1)))
    assert (await native.put("/admin/faults", json=faults, headers=ADMIN)).status_code == 200
    with pytest.raises(error):
        await tangerang.place_order(order("during", (PLENTY, 1)))
    with pytest.raises(error):
        await tangerang.find_order("before")
    with pytest.raises(error):
        await tangerang.get_order(placed.id)
    with pytest.raises(error):
        await tangerang.cancel_order(placed.id)
    assert (await native.delete("/admin/faults", headers=ADMIN)).status_code == 200


async def test_bad_credentials_are_rejected(app: Starlette) -> None:
    connector = TangerangConnector(
        config(client_id=CLIENT_ID, secret="wrong"), transport=httpx.ASGITransport(app=app)
    )
    with pytest.raises(NetworkRejected) as caught:
        await connector.place_order(order("unsigned", (PLENTY, 1)))
    await connector.aclose()
    assert caught.value.status == 401
    assert "invalid_signature" in caught.value.message


NATIVE_ORDER: dict[str, Any] = {
    "id": "ord_000001",
    "idempotency_key": "sub-1",
    "status": "shipped",
    "buyer": {},
    "lines": [{"item_id": PLENTY, "quantity": 2, "unit_price": "15000.00", "line_total": "30000"}],
    "total": "30000.00",
}


def answering(body: dict[str, Any]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, json=body))


async def test_native_orders_map_to_records() -> None:
    connector = TangerangConnector(config(), transport=answering(NATIVE_ORDER))
    found = await connector.get_order("ord_000001")
    await connector.aclose()
    assert found == OrderRecord(
        network="tangerang",
        id="ord_000001",
        reference="sub-1",
        status=OrderStatus.SHIPPED,
        lines=(OrderLineRecord(PLENTY, 2, 15_000, 30_000),),
        total=30_000,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"total": "30000.50"},
        {"total": 30000},
        {"status": "lost"},
        {"lines": [{"item_id": PLENTY, "quantity": 2, "unit_price": "1.5", "line_total": "3"}]},
        {"idempotency_key": "someone-else"},
    ],
)
async def test_unreadable_orders_are_protocol_errors(change: dict[str, Any]) -> None:
    connector = TangerangConnector(config(), transport=answering(NATIVE_ORDER | change))
    with pytest.raises(NetworkProtocolError):
        await connector.place_order(order("sub-1", (PLENTY, 2)))
    await connector.aclose()


def test_refusals_that_are_not_the_network_error_shape_keep_their_message() -> None:
    raw = NetworkRejected("tangerang", "POST /v2/orders answered 418: <html>teapot", 418)
    assert refusal(raw) is raw
    shaped = NetworkRejected(
        "tangerang",
        "POST /v2/orders answered 422: ...",
        422,
        {
            "error": {
                "code": "unprocessable",
                "message": "bad body",
                "details": [{"field": "lines", "problem": "too short"}, {"problem": "and more"}],
            }
        },
    )
    assert refusal(shaped).message == "bad body (lines: too short; and more) [unprocessable]"
    assert refusal(shaped).status == 422
