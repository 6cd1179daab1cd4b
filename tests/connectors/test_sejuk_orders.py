"""SejukConnector orders against the real SEJUK network: one order per reference, always."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.errors import NetworkRejected, NetworkUnavailable
from connectors.records import (
    Buyer,
    OrderLineRecord,
    OrderLineRequest,
    OrderRecord,
    OrderRequest,
    OrderStatus,
)
from connectors.registry import ConnectorConfig, build_connector
from connectors.sejuk import SejukConnector
from connectors.sejuk.galat import galat_of, refusal
from networks.sejuk.app import create_app
from networks.sejuk.settings import SejukSettings

KEY = "sejuk-dev-key"
OTHER_KEY = "kunci-mitra-lain"
ADMIN = {"Authorization": "Bearer admin-dev-token"}
BASE = "http://network"
BUYER = Buyer(
    name="Koperasi Konsumen Sejahtera",
    organization_id="Q29vcGVyYXRpdmU6dGFuZ2VyYW5nOjE3",
    home_network="tangerang",
    delivery_region_code="32.73",
)
# Products the tests put into SEJUK's catalogue, so stock and minimums are known exactly.
TIERED, SMALL, SCARCE, MINIMUM = 9001, 9002, 9003, 9004


def product(harga: int, stok: int, **extra: Any) -> dict[str, Any]:
    return {
        "nama": f"Beras uji {harga}",
        "kategori": "beras",
        "satuan": "karung",
        "harga": harga,
        "stok": stok,
        "pemasok_id": 1,
        **extra,
    }


CATALOGUE: dict[int, dict[str, Any]] = {
    TIERED: product(80_000, 1_000, harga_grosir=[{"minimal": 10, "harga": 76_000}]),
    SMALL: product(12_500, 1_000),
    SCARCE: product(30_000, 5),
    MINIMUM: product(40_000, 100, minimal_pesan=3),
}


def order(reference: str, *lines: tuple[int, int]) -> OrderRequest:
    return OrderRequest(
        reference=reference,
        buyer=BUYER,
        lines=tuple(OrderLineRequest(str(pid), quantity) for pid, quantity in lines),
    )


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = SejukSettings(
        data_dir=tmp_path,
        products=60,
        seed=7,
        api_keys={KEY: "koperasi-hub", OTHER_KEY: "mitra-lain"},
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def native(network: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """SEJUK itself, as the hub's partner account, with the test products in its catalogue."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=network), base_url=BASE, headers={"X-API-Key": KEY}
    ) as client:
        for pid, body in CATALOGUE.items():
            r = await client.put(f"/admin/produk/{pid}", json=body, headers=ADMIN)
            assert r.status_code == 201, r.text
        yield client


@pytest.fixture
async def sejuk(network: Starlette, native: httpx.AsyncClient) -> AsyncIterator[SejukConnector]:
    config = ConnectorConfig(
        code="sejuk", kind="sejuk", base_url=BASE, credentials={"api_key": KEY}
    )
    connector = build_connector(config, transport=httpx.ASGITransport(app=network))
    assert isinstance(connector, SejukConnector)
    yield connector
    await connector.aclose()


async def orders_at(native: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await native.get("/api/v1/pesanan", params={**params, "per_halaman": 100})
    assert r.status_code == 200, r.text
    data: list[dict[str, Any]] = r.json()["data"]
    return data


async def stock(native: httpx.AsyncClient, pid: int) -> int:
    r = await native.get(f"/api/v1/produk/{pid}")
    assert r.status_code == 200, r.text
    value: int = r.json()["stok"]
    return value


async def advance(native: httpx.AsyncClient, order_id: str) -> None:
    r = await native.post(f"/admin/pesanan/{order_id}/maju", headers=ADMIN)
    assert r.status_code == 200, r.text


async def test_place_prices_lines_and_carries_the_buyer(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await sejuk.place_order(order("hub-1", (TIERED, 12), (SMALL, 2)))
    assert placed == OrderRecord(
        network="sejuk",
        id=placed.id,
        reference="hub-1",
        status=OrderStatus.CREATED,
        lines=(
            OrderLineRecord(str(TIERED), 12, 76_000, 12 * 76_000),
            OrderLineRecord(str(SMALL), 2, 12_500, 25_000),
        ),
        total=12 * 76_000 + 25_000,
    )
    (at_sejuk,) = await orders_at(native)
    assert at_sejuk["id"] == int(placed.id)
    assert at_sejuk["referensi_klien"] == "hub-1"
    assert at_sejuk["pembeli"] == {
        "nama": BUYER.name,
        "organisasi_id": BUYER.organization_id,
        "jaringan_asal": "tangerang",
        "kode_wilayah_kirim": "32.73",
    }
    assert await stock(native, TIERED) == 1_000 - 12
    assert await sejuk.get_order(placed.id) == placed


async def test_same_reference_twice_is_the_same_order(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    first = await sejuk.place_order(order("hub-2", (SMALL, 3)))
    again = await sejuk.place_order(order("hub-2", (SMALL, 3)))
    assert again == first
    assert len(await orders_at(native, referensi_klien="hub-2")) == 1
    assert await stock(native, SMALL) == 1_000 - 3


async def test_ten_concurrent_placements_make_one_order(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await asyncio.gather(
        *(sejuk.place_order(order("hub-race", (SMALL, 1))) for _ in range(10))
    )
    assert len({p.id for p in placed}) == 1
    assert len(await orders_at(native)) == 1
    assert await stock(native, SMALL) == 1_000 - 1


async def test_concurrent_retries_make_one_order(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await asyncio.gather(
        *(sejuk.place_order(order("hub-race-r", (SMALL, 1)), retry=True) for _ in range(10))
    )
    assert len({p.id for p in placed}) == 1
    assert len(await orders_at(native)) == 1


async def test_retry_after_a_landed_placement_returns_it_without_posting(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    first = await sejuk.place_order(order("hub-3", (SMALL, 4)))
    assert (await native.delete("/admin/requests", headers=ADMIN)).status_code == 200
    assert await sejuk.place_order(order("hub-3", (SMALL, 4)), retry=True) == first
    served = (await native.get("/admin/requests", headers=ADMIN)).json()["by_route"]
    assert not any(route.startswith("POST") for route in served), served
    assert len(await orders_at(native)) == 1


async def test_retry_with_nothing_landed_places_the_order(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await sejuk.place_order(order("hub-4", (SMALL, 1)), retry=True)
    assert placed.reference == "hub-4"
    assert [o["id"] for o in await orders_at(native)] == [int(placed.id)]


async def test_find_order_looks_up_without_placing(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    assert await sejuk.find_order("hub-5") is None
    assert await orders_at(native) == []
    placed = await sejuk.place_order(order("hub-5", (SMALL, 1)))
    assert await sejuk.find_order("hub-5") == placed
    assert await sejuk.find_order("hub-6") is None
    assert await sejuk.find_order("") is None
    assert await sejuk.find_order("x" * 101) is None


@pytest.mark.parametrize(
    ("lines", "status", "words"),
    [
        (((SCARCE, 6),), 409, ["not enough stock", "stok tidak mencukupi", "STOK_TIDAK_CUKUP"]),
        (((MINIMUM, 2),), 422, ["minimum order", "minimal_pesan 3", "DI_BAWAH_MINIMAL_PESAN"]),
        (((88_888, 1),), 422, ["not in SEJUK's catalogue", "produk_id 88888"]),
        (((SMALL, 1), (SMALL, 2)), 422, ["more than one line", "BARIS_GANDA"]),
        (((SMALL, 1), (SCARCE, 6)), 409, ["STOK_TIDAK_CUKUP", f"produk_id {SCARCE}"]),
    ],
)
async def test_refusals_name_the_reason_and_write_nothing(
    sejuk: SejukConnector,
    native: httpx.AsyncClient,
    lines: tuple[tuple[int, int], ...],
    status: int,
    words: list[str],
) -> None:
    with pytest.raises(NetworkRejected) as refused:
        await sejuk.place_order(order("hub-no", *lines))
    assert refused.value.status == status
    for word in words:
        assert word in refused.value.message
    assert await orders_at(native) == []
    assert await stock(native, SMALL) == 1_000
    assert await stock(native, SCARCE) == 5
    assert await sejuk.find_order("hub-no") is None


async def test_deleted_and_malformed_products_are_refused(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    assert (await native.delete(f"/admin/produk/{SMALL}", headers=ADMIN)).status_code == 204
    with pytest.raises(NetworkRejected) as deleted:
        await sejuk.place_order(order("hub-del", (SMALL, 1)))
    assert deleted.value.status == 422
    assert "PRODUK_TIDAK_DITEMUKAN" in deleted.value.message
    with pytest.raises(NetworkRejected) as malformed:
        await sejuk.place_order(
            OrderRequest("hub-bad", BUYER, (OrderLineRequest("tangerang-7", 1),))
        )
    assert malformed.value.status == 422
    assert "tangerang-7" in malformed.value.message
    assert await orders_at(native) == []


async def test_a_refused_quantity_is_refused_with_the_networks_words(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    with pytest.raises(NetworkRejected) as refused:
        await sejuk.place_order(order("hub-zero", (SMALL, 0)))
    assert refused.value.status == 422
    assert "DATA_TIDAK_VALID" in refused.value.message
    assert await orders_at(native) == []


async def test_cancel_puts_stock_back_and_twice_is_no_error(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await sejuk.place_order(order("hub-7", (SCARCE, 5)))
    assert await stock(native, SCARCE) == 0
    cancelled = await sejuk.cancel_order(placed.id)
    assert cancelled.status is OrderStatus.CANCELLED
    assert (cancelled.id, cancelled.lines, cancelled.total) == (
        placed.id,
        placed.lines,
        placed.total,
    )
    assert await stock(native, SCARCE) == 5
    assert await sejuk.cancel_order(placed.id) == cancelled
    assert await stock(native, SCARCE) == 5
    assert await sejuk.get_order(placed.id) == cancelled
    # The reference stays taken by the cancelled order: placing it again returns that one.
    assert await sejuk.place_order(order("hub-7", (SCARCE, 5))) == cancelled


async def test_lifecycle_maps_every_status_and_cancel_after_shipping_is_409(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await sejuk.place_order(order("hub-8", (SMALL, 2)))
    seen = [placed.status]
    for _ in range(3):
        await advance(native, placed.id)
        current = await sejuk.get_order(placed.id)
        assert current is not None
        seen.append(current.status)
        if current.status is OrderStatus.SHIPPED:
            with pytest.raises(NetworkRejected) as too_late:
                await sejuk.cancel_order(placed.id)
            assert too_late.value.status == 409
            assert "TIDAK_DAPAT_DIBATALKAN" in too_late.value.message
    assert seen == [
        OrderStatus.CREATED,
        OrderStatus.CONFIRMED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    ]
    with pytest.raises(NetworkRejected) as delivered:
        await sejuk.cancel_order(placed.id)
    assert delivered.value.status == 409
    assert await sejuk.find_order("hub-8") == await sejuk.get_order(placed.id)


async def test_confirmed_orders_can_still_be_cancelled(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await sejuk.place_order(order("hub-9", (SMALL, 2)))
    await advance(native, placed.id)
    assert (await sejuk.cancel_order(placed.id)).status is OrderStatus.CANCELLED


async def test_unknown_orders(sejuk: SejukConnector) -> None:
    for unknown in ("424242", "0", "abc", "-1", ""):
        assert await sejuk.get_order(unknown) is None
        with pytest.raises(NetworkRejected) as missing:
            await sejuk.cancel_order(unknown)
        assert missing.value.status == 404


async def test_another_partners_orders_are_not_ours(
    network: Starlette, sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    placed = await sejuk.place_order(order("hub-10", (SMALL, 1)))
    config = ConnectorConfig(
        code="sejuk", kind="sejuk", base_url=BASE, credentials={"api_key": OTHER_KEY}
    )
    other = build_connector(config, transport=httpx.ASGITransport(app=network))
    try:
        assert await other.find_order("hub-10") is None
        assert await other.get_order(placed.id) is None
        mine = await other.place_order(order("hub-10", (SMALL, 1)))
        assert mine.id != placed.id
    finally:
        await other.aclose()


async def test_transactions_are_not_streamed(sejuk: SejukConnector) -> None:
    assert sejuk.transactions("1") is None


async def test_a_network_down_at_placement_is_unavailable(
    sejuk: SejukConnector, native: httpx.AsyncClient
) -> None:
    r = await native.put("/admin/faults", json={"error_rate": 1.0}, headers=ADMIN)
    assert r.status_code == 200, r.text
    with pytest.raises(NetworkUnavailable):
        await sejuk.place_order(order("hub-11", (SMALL, 1)))
    with pytest.raises(NetworkUnavailable):
        await sejuk.find_order("hub-11")
    assert (await native.delete("/admin/faults", headers=ADMIN)).status_code == 200
    assert await sejuk.find_order("hub-11") is None


def test_sejuks_words_come_from_the_answer_body() -> None:
    body = {
        "galat": {
            "kode": "STOK_TIDAK_CUKUP",
            "pesan": 'stok "habis" tidak mencukupi',
            "rincian": [{"produk_id": i, "stok": 0} for i in range(40)],
        }
    }
    refused = NetworkRejected("sejuk", "POST /api/v1/pesanan answered 409: ...", 409, body)
    galat = galat_of(refused)
    assert galat is not None
    assert (galat.kode, galat.pesan) == ("STOK_TIDAK_CUKUP", 'stok "habis" tidak mencukupi')
    assert "not enough stock" in refusal("sejuk", "order refused", refused).message
    garbage = NetworkRejected("sejuk", "POST /api/v1/pesanan answered 409: <html>", 409)
    assert galat_of(garbage) is None
    assert refusal("sejuk", "order refused", garbage) is garbage
