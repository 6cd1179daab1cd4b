"""PadiConnector purchase orders against the real PaDi network: one order per reference."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.errors import NetworkRejected, NetworkUnavailable
from connectors.padi import PadiConnector
from connectors.records import (
    Buyer,
    OrderLineRecord,
    OrderLineRequest,
    OrderRecord,
    OrderRequest,
    OrderStatus,
)
from connectors.registry import ConnectorConfig, build_connector
from networks.padi.app import create_app
from networks.padi.settings import PadiSettings

CLIENT = ("koperasi-hub", "padi-dev-secret")
OTHER_CLIENT = ("mitra-lain", "mitra-secret")
ADMIN = {"Authorization": "Bearer admin-dev-token"}
BASE = "http://network"
BUYER = Buyer(
    name="Koperasi Serba Usaha Mekar",
    organization_id="Q29vcGVyYXRpdmU6c2VqdWs6NA==",
    home_network="sejuk",
    delivery_region_code="36.71",
)
# Products the tests put into PaDi's catalogue, so stock and minimums are known exactly.
PLENTY, SCARCE, MINIMUM = "PRD-UJI-1", "PRD-UJI-2", "PRD-UJI-3"
CATALOGUE: dict[str, dict[str, Any]] = {
    PLENTY: {"price": 25_000, "stock": 1_000},
    SCARCE: {"price": 60_000, "stock": 5},
    MINIMUM: {"price": 9_000, "stock": 100, "minOrder": 12},
}
ORDERS = "{ purchaseOrders(size: 100) { total items { id clientReference status } } }"
STOCK = "query($id: ID!) { product(id: $id) { stock } }"


def order(reference: str, *lines: tuple[str, int]) -> OrderRequest:
    return OrderRequest(
        reference=reference,
        buyer=BUYER,
        lines=tuple(OrderLineRequest(pid, quantity) for pid, quantity in lines),
    )


class Native:
    """PaDi itself, as the hub's OAuth client and as its admin."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.token = token

    async def gql(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.http.post(
            "/graphql",
            json={"query": document, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    async def orders(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = (await self.gql(ORDERS))["purchaseOrders"]["items"]
        return items

    async def stock(self, product_id: str) -> int:
        value: int = (await self.gql(STOCK, {"id": product_id}))["product"]["stock"]
        return value

    async def advance(self, order_id: str) -> None:
        r = await self.http.post(f"/admin/purchase-orders/{order_id}/advance", headers=ADMIN)
        assert r.status_code == 200, r.text


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = PadiSettings(
        data_dir=tmp_path, products=60, oauth_clients=dict([CLIENT, OTHER_CLIENT])
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def native(network: Starlette) -> AsyncIterator[Native]:
    """The network, with the test products in its catalogue."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=network), base_url=BASE) as http:
        token = await http.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=CLIENT
        )
        padi = Native(http, token.json()["access_token"])
        umkm = (await padi.gql("{ umkms(size: 1) { items { id } } }"))["umkms"]["items"][0]["id"]
        for pid, fields in CATALOGUE.items():
            body = {"umkmId": umkm, "name": f"Produk uji {pid}", "category": "beras", "unit": "pak"}
            r = await http.put(f"/admin/products/{pid}", json={**body, **fields}, headers=ADMIN)
            assert r.status_code == 201, r.text
        yield padi


def connector_for(network: Starlette, client: tuple[str, str] = CLIENT) -> PadiConnector:
    config = ConnectorConfig(
        code="padi",
        kind="padi",
        base_url=BASE,
        credentials={"client_id": client[0], "client_secret": client[1]},
    )
    connector = build_connector(config, transport=httpx.ASGITransport(app=network))
    assert isinstance(connector, PadiConnector)
    return connector


@pytest.fixture
async def padi(network: Starlette, native: Native) -> AsyncIterator[PadiConnector]:
    connector = connector_for(network)
    yield connector
    await connector.aclose()


async def test_place_prices_lines_and_reads_back(padi: PadiConnector, native: Native) -> None:
    placed = await padi.place_order(order("hub-1", (PLENTY, 3), (MINIMUM, 12)))
    assert placed == OrderRecord(
        network="padi",
        id=placed.id,
        reference="hub-1",
        status=OrderStatus.CREATED,
        lines=(
            OrderLineRecord(PLENTY, 3, 25_000, 75_000),
            OrderLineRecord(MINIMUM, 12, 9_000, 108_000),
        ),
        total=183_000,
    )
    assert placed.id.startswith("PO-")
    assert [o["id"] for o in await native.orders()] == [placed.id]
    assert await native.stock(PLENTY) == 1_000 - 3
    assert await padi.get_order(placed.id) == placed
    buyer = await native.gql(
        "query($id: ID!) { purchaseOrder(id: $id) { buyer { name organizationId homeNetwork "
        "deliveryRegionCode } } }",
        {"id": placed.id},
    )
    assert buyer["purchaseOrder"]["buyer"] == {
        "name": BUYER.name,
        "organizationId": BUYER.organization_id,
        "homeNetwork": "sejuk",
        "deliveryRegionCode": "36.71",
    }


async def test_same_reference_twice_is_the_same_order(padi: PadiConnector, native: Native) -> None:
    first = await padi.place_order(order("hub-2", (PLENTY, 2)))
    assert await padi.place_order(order("hub-2", (PLENTY, 2))) == first
    assert await padi.place_order(order("hub-2", (PLENTY, 2)), retry=True) == first
    assert len(await native.orders()) == 1
    assert await native.stock(PLENTY) == 1_000 - 2


async def test_a_reused_reference_with_other_lines_returns_the_order_holding_it(
    padi: PadiConnector, native: Native
) -> None:
    first = await padi.place_order(order("hub-3", (PLENTY, 2)))
    assert await padi.place_order(order("hub-3", (PLENTY, 7))) == first
    assert len(await native.orders()) == 1
    assert await native.stock(PLENTY) == 1_000 - 2


async def test_ten_concurrent_placements_make_one_order(
    padi: PadiConnector, native: Native
) -> None:
    placed = await asyncio.gather(
        *(padi.place_order(order("hub-race", (PLENTY, 1)), retry=True) for _ in range(10))
    )
    assert len({p.id for p in placed}) == 1
    assert len(await native.orders()) == 1
    assert await native.stock(PLENTY) == 1_000 - 1


async def test_find_order_looks_up_without_placing(padi: PadiConnector, native: Native) -> None:
    assert await padi.find_order("hub-4") is None
    assert await native.orders() == []
    placed = await padi.place_order(order("hub-4", (PLENTY, 1)))
    assert await padi.find_order("hub-4") == placed
    assert await padi.find_order("hub-5") is None
    assert await padi.find_order("") is None
    assert await padi.find_order("x" * 101) is None


@pytest.mark.parametrize(
    ("lines", "status", "words"),
    [
        (((SCARCE, 6),), 409, [f"product {SCARCE}: only 5 pak in stock", "OUT_OF_STOCK"]),
        (((MINIMUM, 11),), 422, [f"product {MINIMUM}: minimum order is 12 pak", "INVALID_INPUT"]),
        ((("PRD-TIDAK-ADA", 1),), 422, ["product PRD-TIDAK-ADA", "not found", "NOT_FOUND"]),
        (((PLENTY, 1), (PLENTY, 2)), 422, ["repeated", "INVALID_INPUT"]),
        (((PLENTY, 0),), 422, [f"product {PLENTY}", "INVALID_INPUT"]),
        (((PLENTY, 1), (SCARCE, 9)), 409, [f"product {SCARCE}", "OUT_OF_STOCK"]),
    ],
)
async def test_refusals_name_the_reason_and_write_nothing(
    padi: PadiConnector,
    native: Native,
    lines: tuple[tuple[str, int], ...],
    status: int,
    words: list[str],
) -> None:
    with pytest.raises(NetworkRejected) as refused:
        await padi.place_order(order("hub-no", *lines))
    assert refused.value.status == status
    for word in words:
        assert word in refused.value.message
    assert await native.orders() == []
    assert await native.stock(PLENTY) == 1_000
    assert await native.stock(SCARCE) == 5
    assert await padi.find_order("hub-no") is None


async def test_a_deleted_product_is_refused(padi: PadiConnector, native: Native) -> None:
    r = await native.http.delete(f"/admin/products/{SCARCE}", headers=ADMIN)
    assert r.status_code == 204, r.text
    with pytest.raises(NetworkRejected) as refused:
        await padi.place_order(order("hub-del", (SCARCE, 1)))
    assert refused.value.status == 422
    assert f"product {SCARCE}" in refused.value.message
    assert await native.orders() == []


async def test_cancel_puts_stock_back_and_twice_is_no_error(
    padi: PadiConnector, native: Native
) -> None:
    placed = await padi.place_order(order("hub-6", (SCARCE, 5)))
    assert await native.stock(SCARCE) == 0
    cancelled = await padi.cancel_order(placed.id)
    assert cancelled.status is OrderStatus.CANCELLED
    assert (cancelled.id, cancelled.lines, cancelled.total) == (
        placed.id,
        placed.lines,
        placed.total,
    )
    assert await native.stock(SCARCE) == 5
    assert await padi.cancel_order(placed.id) == cancelled
    assert await native.stock(SCARCE) == 5
    assert await padi.get_order(placed.id) == cancelled
    assert await padi.find_order("hub-6") == cancelled


async def test_lifecycle_maps_every_status_and_cancel_after_shipping_is_409(
    padi: PadiConnector, native: Native
) -> None:
    placed = await padi.place_order(order("hub-7", (PLENTY, 2)))
    seen = [placed.status]
    for _ in range(3):
        await native.advance(placed.id)
        current = await padi.get_order(placed.id)
        assert current is not None
        seen.append(current.status)
        if current.status is OrderStatus.SHIPPED:
            with pytest.raises(NetworkRejected) as too_late:
                await padi.cancel_order(placed.id)
            assert too_late.value.status == 409
            assert "INVALID_STATE" in too_late.value.message
    assert seen == [
        OrderStatus.CREATED,
        OrderStatus.CONFIRMED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    ]
    with pytest.raises(NetworkRejected) as delivered:
        await padi.cancel_order(placed.id)
    assert delivered.value.status == 409
    assert await native.stock(PLENTY) == 1_000 - 2


async def test_confirmed_orders_can_still_be_cancelled(padi: PadiConnector, native: Native) -> None:
    placed = await padi.place_order(order("hub-8", (PLENTY, 2)))
    await native.advance(placed.id)
    assert (await padi.cancel_order(placed.id)).status is OrderStatus.CANCELLED


async def test_unknown_orders(padi: PadiConnector) -> None:
    for unknown in ("PO-424242", "RFQ-000001", "abc", ""):
        assert await padi.get_order(unknown) is None
        with pytest.raises(NetworkRejected) as missing:
            await padi.cancel_order(unknown)
        assert missing.value.status == 404


async def test_another_clients_orders_are_not_ours(network: Starlette, padi: PadiConnector) -> None:
    placed = await padi.place_order(order("hub-9", (PLENTY, 1)))
    other = connector_for(network, OTHER_CLIENT)
    try:
        assert await other.find_order("hub-9") is None
        assert await other.get_order(placed.id) is None
        with pytest.raises(NetworkRejected):
            await other.cancel_order(placed.id)
        assert (await other.place_order(order("hub-9", (PLENTY, 1)))).id != placed.id
    finally:
        await other.aclose()
    assert (await padi.get_order(placed.id)) == placed


async def test_transactions_are_not_streamed(padi: PadiConnector) -> None:
    assert padi.transactions("KOP-1") is None


async def test_padi_failing_inside_is_unavailable_not_a_refusal() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            token = {"access_token": "t", "token_type": "Bearer", "expires_in": 300}
            return httpx.Response(200, json=token)
        body = {"data": None, "errors": [{"message": "x", "extensions": {"code": "INTERNAL"}}]}
        return httpx.Response(200, content=json.dumps(body).encode())

    config = ConnectorConfig(
        "padi", "padi", BASE, {"client_id": CLIENT[0], "client_secret": CLIENT[1]}
    )
    connector = PadiConnector(config, transport=httpx.MockTransport(handle))
    try:
        with pytest.raises(NetworkUnavailable):
            await connector.place_order(order("hub-10", (PLENTY, 1)))
        with pytest.raises(NetworkUnavailable):
            await connector.cancel_order("PO-000001")
    finally:
        await connector.aclose()


async def test_a_network_down_at_placement_is_unavailable(
    padi: PadiConnector, native: Native
) -> None:
    r = await native.http.put("/admin/faults", json={"error_rate": 1.0}, headers=ADMIN)
    assert r.status_code == 200, r.text
    with pytest.raises(NetworkUnavailable):
        await padi.place_order(order("hub-11", (PLENTY, 1)))
    assert (await native.http.delete("/admin/faults", headers=ADMIN)).status_code == 200
    assert await padi.find_order("hub-11") is None
