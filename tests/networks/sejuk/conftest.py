"""A small SEJUK per test (fresh database in tmp_path, two partners) and an ``api`` helper.

Helpers live on the ``api`` fixture because test modules here are not importable packages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from networks.sejuk.app import create_app
from networks.sejuk.settings import SejukSettings
from networks.testing import in_process

KEY = "sejuk-dev-key"
OTHER_KEY = "kunci-mitra-lain"
ADMIN = {"Authorization": "Bearer admin-dev-token"}


class Api:
    """A partner's view of SEJUK plus the admin calls tests drive it with."""

    admin = ADMIN

    def __init__(self, client: httpx.AsyncClient, key: str = KEY) -> None:
        self.client = client
        self.headers = {"X-API-Key": key}

    def as_partner(self, key: str) -> Api:
        return Api(self.client, key)

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers=self.headers)

    async def post(self, path: str, body: Any = None) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.headers)

    async def walk(self, path: str, per_page: int = 7, **params: Any) -> list[dict[str, Any]]:
        """Every item of a paged list, page by page until ``total_halaman``."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            r = await self.get(path, **params, halaman=page, per_halaman=per_page)
            assert r.status_code == 200, r.text
            body = r.json()
            items += body["data"]
            if page >= body["total_halaman"]:
                assert len(items) == body["total"]
                return items
            page += 1

    async def feed(
        self, since: int = 0, per_page: int = 7, between_pages: Callable[[], Any] | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """Walk the change feed from ``since`` with a fixed window; returns entries and its end."""
        entries: list[dict[str, Any]] = []
        first = await self.get("/api/v1/perubahan/produk", sejak=since, per_halaman=per_page)
        assert first.status_code == 200, first.text
        body = first.json()
        until = body["versi_sampai"]
        entries += body["data"]
        page = 1
        while page < body["total_halaman"]:
            if between_pages is not None:
                await between_pages()
            page += 1
            r = await self.get(
                "/api/v1/perubahan/produk",
                sejak=since,
                sampai=until,
                halaman=page,
                per_halaman=per_page,
            )
            assert r.status_code == 200, r.text
            body = r.json()
            entries += body["data"]
        return entries, until

    async def product(self, produk_id: int) -> dict[str, Any]:
        r = await self.get(f"/api/v1/produk/{produk_id}")
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    async def orderable(self, *, tiers: bool = False) -> dict[str, Any]:
        """A product with plenty of stock and minimum order 1 (a large supplier's if ``tiers``)."""
        for item in await self.walk("/api/v1/produk", per_page=100, ada_stok="true"):
            plenty = item["minimal_pesan"] == 1 and item["stok"] >= 300
            if plenty and bool(item["harga_grosir"]) == tiers:
                return item
        raise AssertionError("no suitable product in the seed")

    async def order(self, reference: str, lines: list[tuple[int, int]]) -> httpx.Response:
        return await self.post("/api/v1/pesanan", order_body(reference, lines))

    async def advance(self, pesanan_id: int) -> httpx.Response:
        return await self.client.post(f"/admin/pesanan/{pesanan_id}/maju", headers=ADMIN)

    async def put_product(self, produk_id: int, body: dict[str, Any]) -> httpx.Response:
        return await self.client.put(f"/admin/produk/{produk_id}", json=body, headers=ADMIN)

    async def delete_product(self, produk_id: int) -> httpx.Response:
        return await self.client.delete(f"/admin/produk/{produk_id}", headers=ADMIN)


def order_body(reference: str, lines: list[tuple[int, int]]) -> dict[str, Any]:
    """A valid order for ``lines`` of (produk_id, jumlah)."""
    return {
        "referensi_klien": reference,
        "pembeli": {
            "nama": "Ibu Siti Rahayu",
            "organisasi_id": "kop-tangerang-17",
            "jaringan_asal": "tangerang",
            "kode_wilayah_kirim": "32.73",
        },
        "baris": [{"produk_id": p, "jumlah": n} for p, n in lines],
    }


def make_settings(data_dir: Path, **overrides: Any) -> SejukSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "products": 120,
        "seed": 7,
        "api_keys": {KEY: "koperasi-hub", OTHER_KEY: "mitra-lain"},
    }
    values.update(overrides)
    return SejukSettings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> SejukSettings:
    return make_settings(tmp_path)


@pytest.fixture
def app(settings: SejukSettings) -> Starlette:
    return create_app(settings)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(app) as c:
        yield c


@pytest.fixture
async def clocked_api(tmp_path: Path) -> AsyncIterator[Api]:
    """A partner of a SEJUK whose order clock ticks every 20 ms."""
    clocked = tmp_path / "clocked"
    async with in_process(create_app(make_settings(clocked, order_clock=0.02))) as c:
        yield Api(c)


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)


@pytest.fixture
def new_settings() -> Callable[..., SejukSettings]:
    """Build settings like the default ones, with overrides (data_dir required)."""
    return make_settings


@pytest.fixture
def body_for() -> Callable[[str, list[tuple[int, int]]], dict[str, Any]]:
    return order_body


@pytest.fixture
def other_key() -> str:
    return OTHER_KEY
