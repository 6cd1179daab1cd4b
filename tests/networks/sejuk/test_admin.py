"""Admin product upsert and delete: what partners then see in the catalogue."""

from __future__ import annotations

from typing import Any

import pytest


def product_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "nama": "Beras Pandan Wangi Cianjur 5 kg",
        "deskripsi": "Beras pulen dari Cianjur.",
        "kategori": "beras",
        "satuan": "karung",
        "harga": 88_000,
        "stok": 120,
        "minimal_pesan": 1,
        "pemasok_id": 1,
        "harga_grosir": [{"minimal": 10, "harga": 85_000}, {"minimal": 50, "harga": 82_000}],
    }
    body.update(overrides)
    return body


async def test_put_creates_then_replaces(api) -> None:
    r = await api.put_product(5000, product_body())
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["id"] == 5000
    assert created["kode"] == "SEJUK-5000"
    assert created["kode_wilayah"] == "32.73"
    assert await api.product(5000) == created
    r = await api.put_product(5000, product_body(harga=90_000, stok=0, kode="CJR-1"))
    assert r.status_code == 200
    assert (r.json()["harga"], r.json()["stok"], r.json()["kode"]) == (90_000, 0, "CJR-1")
    found = await api.walk("/api/v1/produk", per_page=100, q="Cianjur")
    assert [p["id"] for p in found] == [5000]


async def test_delete_hides_the_product_everywhere(api) -> None:
    assert (await api.delete_product(2)).status_code == 204
    assert (await api.get("/api/v1/produk/2")).status_code == 404
    assert 2 not in {p["id"] for p in await api.walk("/api/v1/produk", per_page=100)}
    assert (await api.get("/api/v1/produk", id="1,2,3")).json()["total"] == 2
    again = await api.delete_product(2)
    assert again.status_code == 404
    assert again.json()["galat"]["kode"] == "TIDAK_DITEMUKAN"
    assert (await api.delete_product(777_777)).status_code == 404
    assert (await api.put_product(2, product_body())).status_code == 200
    assert (await api.product(2))["nama"] == "Beras Pandan Wangi Cianjur 5 kg"


@pytest.mark.parametrize(
    ("changes", "status", "kode"),
    [
        ({"harga": 0}, 422, "DATA_TIDAK_VALID"),
        ({"harga": "88000"}, 422, "DATA_TIDAK_VALID"),
        ({"stok": -1}, 422, "DATA_TIDAK_VALID"),
        ({"kategori": "elektronik"}, 422, "DATA_TIDAK_VALID"),
        ({"harga_grosir": [{"minimal": 50, "harga": 80_000}, {"minimal": 10, "harga": 85_000}]}, 422, "DATA_TIDAK_VALID"),
        ({"harga_grosir": [{"minimal": 10, "harga": 95_000}]}, 422, "DATA_TIDAK_VALID"),
        ({"pemasok_id": 99_999}, 422, "PEMASOK_TIDAK_DITEMUKAN"),
    ],
)  # fmt: skip
async def test_bad_product_bodies_change_nothing(
    api, changes: dict[str, Any], status: int, kode: str
) -> None:
    before = await api.product(3)
    _, feed_end = await api.feed(0, per_page=100)
    r = await api.put_product(3, product_body(**changes))
    assert r.status_code == status, r.text
    assert r.json()["galat"]["kode"] == kode
    assert await api.product(3) == before
    assert (await api.feed(feed_end))[0] == []


async def test_put_rejects_malformed_json_and_bad_ids(api, client) -> None:
    r = await client.put("/admin/produk/3", content=b"{nope", headers=api.admin)
    assert r.status_code == 400
    r = await api.put_product(0, product_body())
    assert r.status_code == 404
