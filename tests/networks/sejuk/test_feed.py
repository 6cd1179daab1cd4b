"""The product change feed: full load from 0, stable paging, updates and deletions."""

from __future__ import annotations

from typing import Any


def product_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "nama": "Kopi Arabika Malabar 250 g",
        "kategori": "kopi",
        "satuan": "pak",
        "harga": 85_000,
        "stok": 40,
        "pemasok_id": 5,
    }
    body.update(overrides)
    return body


async def test_since_zero_is_a_full_load(api) -> None:
    entries, until = await api.feed(0, per_page=9)
    assert [e["versi"] for e in entries] == list(range(1, until + 1))
    assert until == 120
    assert {e["jenis"] for e in entries} == {"ubah"}
    catalogue = await api.walk("/api/v1/produk", per_page=100)
    assert [e["produk"] for e in entries] == catalogue


async def test_paging_is_stable_while_changes_arrive(api) -> None:
    counter = iter(range(1000, 2000))

    async def change_something() -> None:
        produk_id = next(counter)
        assert (
            await api.put_product(produk_id, product_body(nama=f"Baru {produk_id}"))
        ).status_code == 201
        assert (await api.delete_product(3 + produk_id % 50)).status_code in (204, 404)

    entries, until = await api.feed(0, per_page=10, between_pages=change_something)
    assert [e["versi"] for e in entries] == list(range(1, 121))
    assert until == 120
    later, newest = await api.feed(until, per_page=4)
    assert newest > until
    assert [e["versi"] for e in later] == list(range(until + 1, newest + 1))
    assert {e["produk_id"] for e in later if e["jenis"] == "ubah"} >= set(range(1000, 1011))


async def test_updates_and_deletions_show_in_the_feed(api) -> None:
    _, start = await api.feed(0, per_page=100)
    r = await api.put_product(7, product_body(harga=91_000, pemasok_id=2, kategori="mie"))
    assert r.status_code == 200
    assert (await api.delete_product(8)).status_code == 204
    entries, until = await api.feed(start)
    assert [(e["versi"], e["produk_id"], e["jenis"]) for e in entries] == [
        (start + 1, 7, "ubah"),
        (start + 2, 8, "hapus"),
    ]
    assert entries[0]["produk"]["harga"] == 91_000
    assert entries[1]["produk"] is None
    assert until == start + 2
    nothing, same = await api.feed(until)
    assert nothing == []
    assert same == until


async def test_orders_and_cancellations_log_stock_changes(api) -> None:
    item = await api.orderable()
    _, start = await api.feed(0, per_page=100)
    r = await api.order("feed-1", [(item["id"], 3)])
    assert r.status_code == 201
    assert (await api.post(f"/api/v1/pesanan/{r.json()['id']}/batal")).status_code == 200
    entries, _ = await api.feed(start)
    assert [(e["produk_id"], e["produk"]["stok"]) for e in entries] == [
        (item["id"], item["stok"] - 3),
        (item["id"], item["stok"]),
    ]


async def test_feed_rejects_bad_markers(api) -> None:
    for params in ({"sejak": -1}, {"sejak": "kemarin"}, {"sampai": "x"}, {"per_halaman": 500}):
        r = await api.get("/api/v1/perubahan/produk", **params)
        assert r.status_code == 400
        assert "galat" in r.json()
    r = await api.get("/api/v1/perubahan/produk", sejak=10_000)
    assert r.status_code == 200
    assert r.json()["data"] == []
    assert r.json()["versi_sampai"] == 10_000
