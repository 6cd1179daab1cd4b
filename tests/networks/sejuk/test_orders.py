"""Orders: wholesale pricing, referensi_klien semantics, validation, lifecycle, cancel."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from networks.sejuk import ordering


async def test_order_prices_each_line_at_the_tier_it_reaches(api) -> None:
    big = await api.orderable(tiers=True)
    small = await api.orderable(tiers=False)
    tiers = {t["minimal"]: t["harga"] for t in big["harga_grosir"]}
    r = await api.order("tier-1", [(big["id"], 60), (small["id"], 2)])
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "dibuat"
    assert order["pembeli"]["jaringan_asal"] == "tangerang"
    first, second = order["baris"]
    assert (first["harga_dasar"], first["harga_satuan"], first["tingkat_grosir"]) == (
        big["harga"],
        tiers[50],
        50,
    )
    assert first["subtotal"] == 60 * tiers[50]
    assert (second["harga_satuan"], second["tingkat_grosir"]) == (small["harga"], None)
    assert order["total"] == first["subtotal"] + second["subtotal"]
    assert (await api.product(big["id"]))["stok"] == big["stok"] - 60
    assert (await api.product(small["id"]))["stok"] == small["stok"] - 2


@pytest.mark.parametrize(("quantity", "tier"), [(9, None), (10, 10), (49, 10), (200, 200)])
async def test_tier_boundaries(api, quantity: int, tier: int | None) -> None:
    big = await api.orderable(tiers=True)
    line = (await api.order(f"b-{quantity}", [(big["id"], quantity)])).json()["baris"][0]
    assert line["tingkat_grosir"] == tier
    expected = (
        big["harga"]
        if tier is None
        else {t["minimal"]: t["harga"] for t in big["harga_grosir"]}[tier]
    )
    assert line["harga_satuan"] == expected


async def test_repeated_reference_is_409_with_the_existing_order(api) -> None:
    item = await api.orderable()
    first = await api.order("ref-dup", [(item["id"], 1)])
    assert first.status_code == 201
    again = await api.order("ref-dup", [(item["id"], 5)])
    assert again.status_code == 409
    galat = again.json()["galat"]
    assert galat["kode"] == "REFERENSI_GANDA"
    assert galat["pesanan_id"] == first.json()["id"]
    assert (await api.product(item["id"]))["stok"] == item["stok"] - 1


async def test_retrying_client_finds_its_order_by_reference(api) -> None:
    item = await api.orderable()
    assert (await api.get("/api/v1/pesanan", referensi_klien="ref-look")).json()["data"] == []
    placed = (await api.order("ref-look", [(item["id"], 2)])).json()
    found = (await api.get("/api/v1/pesanan", referensi_klien="ref-look")).json()
    assert found["total"] == 1
    assert found["data"] == [placed]
    assert (await api.get(f"/api/v1/pesanan/{placed['id']}")).json() == placed


async def test_concurrent_duplicates_make_exactly_one_order(api) -> None:
    item = await api.orderable()
    replies = await asyncio.gather(*(api.order("ref-race", [(item["id"], 1)]) for _ in range(8)))
    statuses = sorted(r.status_code for r in replies)
    assert statuses == [201] + [409] * 7
    created = next(r.json() for r in replies if r.status_code == 201)
    assert {r.json()["galat"]["pesanan_id"] for r in replies if r.status_code == 409} == {
        created["id"]
    }
    assert (await api.get("/api/v1/pesanan", referensi_klien="ref-race")).json()["total"] == 1
    assert (await api.product(item["id"]))["stok"] == item["stok"] - 1


async def test_concurrent_orders_never_oversell(api) -> None:
    item = await api.orderable()
    half = item["stok"] // 2 + 1
    replies = await asyncio.gather(
        *(api.order(f"sell-{n}", [(item["id"], half)]) for n in range(4))
    )
    assert sorted(r.status_code for r in replies) == [201, 409, 409, 409]
    assert (await api.product(item["id"]))["stok"] == item["stok"] - half


async def test_partners_see_only_their_own_orders(api, other_key) -> None:
    item = await api.orderable()
    mine = (await api.order("shared-ref", [(item["id"], 1)])).json()
    other = api.as_partner(other_key)
    theirs = await other.order("shared-ref", [(item["id"], 1)])
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine["id"]
    assert (await other.get(f"/api/v1/pesanan/{mine['id']}")).status_code == 404
    assert (await other.post(f"/api/v1/pesanan/{mine['id']}/batal")).status_code == 404
    listed = (await other.get("/api/v1/pesanan")).json()
    assert [o["id"] for o in listed["data"]] == [theirs.json()["id"]]


def _with(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**body, **changes}


BAD_BODIES = [
    ("zero quantity", lambda b: _with(b, baris=[{"produk_id": 1, "jumlah": 0}]), 422, "DATA_TIDAK_VALID"),
    ("negative quantity", lambda b: _with(b, baris=[{"produk_id": 1, "jumlah": -3}]), 422, "DATA_TIDAK_VALID"),
    ("quantity as text", lambda b: _with(b, baris=[{"produk_id": 1, "jumlah": "2"}]), 422, "DATA_TIDAK_VALID"),
    ("no lines", lambda b: _with(b, baris=[]), 422, "DATA_TIDAK_VALID"),
    ("no reference", lambda b: {k: v for k, v in b.items() if k != "referensi_klien"}, 422, "DATA_TIDAK_VALID"),
    ("no buyer", lambda b: {k: v for k, v in b.items() if k != "pembeli"}, 422, "DATA_TIDAK_VALID"),
    ("bad region", lambda b: _with(b, pembeli={**b["pembeli"], "kode_wilayah_kirim": "Bandung"}), 422, "DATA_TIDAK_VALID"),
    ("unknown field", lambda b: _with(b, diskon=50), 422, "DATA_TIDAK_VALID"),
    ("unknown product", lambda b: _with(b, baris=[*b["baris"], {"produk_id": 99_999, "jumlah": 1}]), 422, "PRODUK_TIDAK_DITEMUKAN"),
    ("repeated line", lambda b: _with(b, baris=[*b["baris"], b["baris"][0]]), 422, "BARIS_GANDA"),
    ("too much", lambda b: _with(b, baris=[*b["baris"], {"produk_id": 1, "jumlah": 999_999}]), 409, "STOK_TIDAK_CUKUP"),
    ("not an object", lambda b: [b], 422, "DATA_TIDAK_VALID"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "spoil", "status", "kode"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
async def test_bad_orders_are_refused_without_a_partial_write(
    api, body_for, label: str, spoil: Any, status: int, kode: str
) -> None:
    item = await api.orderable()
    before = [await api.product(item["id"]), await api.product(1)]
    _, feed_end = await api.feed(0, per_page=100)
    body = spoil(body_for("bad-1", [(item["id"], 2)]))
    r = await api.post("/api/v1/pesanan", body)
    assert r.status_code == status, r.text
    assert r.json()["galat"]["kode"] == kode
    assert [await api.product(item["id"]), await api.product(1)] == before
    assert (await api.get("/api/v1/pesanan")).json()["total"] == 0
    assert (await api.feed(feed_end))[0] == []
    assert (await api.order("bad-1", [(item["id"], 2)])).status_code == 201


async def test_malformed_json_is_400(api, client) -> None:
    r = await client.post("/api/v1/pesanan", content=b'{"referensi_klien": ', headers=api.headers)
    assert r.status_code == 400
    assert r.json()["galat"]["kode"] == "PERMINTAAN_TIDAK_VALID"


async def test_minimum_order_and_deleted_products(api) -> None:
    everything = await api.walk("/api/v1/produk", per_page=100, ada_stok="true")
    bulk = next(p for p in everything if p["minimal_pesan"] > 1 and p["stok"] >= p["minimal_pesan"])
    r = await api.order("min-1", [(bulk["id"], bulk["minimal_pesan"] - 1)])
    assert r.status_code == 422
    assert r.json()["galat"]["kode"] == "DI_BAWAH_MINIMAL_PESAN"
    assert (await api.order("min-2", [(bulk["id"], bulk["minimal_pesan"])])).status_code == 201
    item = await api.orderable()
    assert (await api.delete_product(item["id"])).status_code == 204
    r = await api.order("gone-1", [(item["id"], 1)])
    assert r.status_code == 422
    assert r.json()["galat"]["kode"] == "PRODUK_TIDAK_DITEMUKAN"


async def test_lifecycle_by_admin_advance(api) -> None:
    item = await api.orderable()
    order = (await api.order("life-1", [(item["id"], 1)])).json()
    seen = []
    for _ in range(3):
        r = await api.advance(order["id"])
        assert r.status_code == 200
        seen.append(r.json()["status"])
    assert seen == ["dikonfirmasi", "dikirim", "diterima"]
    r = await api.advance(order["id"])
    assert r.status_code == 409
    assert r.json()["galat"]["kode"] == "STATUS_AKHIR"
    assert (await api.get(f"/api/v1/pesanan/{order['id']}")).json()["status"] == "diterima"
    assert (await api.advance(999_999)).status_code == 404
    assert (await api.get("/api/v1/pesanan", status="diterima")).json()["total"] == 1


async def test_cancel_restores_stock_until_shipped(api) -> None:
    item = await api.orderable()
    order = (await api.order("cancel-1", [(item["id"], 4)])).json()
    assert (await api.advance(order["id"])).json()["status"] == "dikonfirmasi"
    r = await api.post(f"/api/v1/pesanan/{order['id']}/batal")
    assert r.status_code == 200
    assert r.json()["status"] == "dibatalkan"
    assert (await api.product(item["id"]))["stok"] == item["stok"]
    again = await api.post(f"/api/v1/pesanan/{order['id']}/batal")
    assert again.status_code == 409
    assert (await api.product(item["id"]))["stok"] == item["stok"]
    assert (await api.advance(order["id"])).status_code == 409

    shipped = (await api.order("cancel-2", [(item["id"], 4)])).json()
    await api.advance(shipped["id"])
    await api.advance(shipped["id"])
    r = await api.post(f"/api/v1/pesanan/{shipped['id']}/batal")
    assert r.status_code == 409
    assert r.json()["galat"]["kode"] == "TIDAK_DAPAT_DIBATALKAN"
    assert (await api.product(item["id"]))["stok"] == item["stok"] - 4
    assert (await api.post("/api/v1/pesanan/424242/batal")).status_code == 404


async def test_clock_tick_moves_every_open_order_exactly_one_step(api, app) -> None:
    item = await api.orderable()
    fresh = (await api.order("tick-1", [(item["id"], 1)])).json()
    confirmed = (await api.order("tick-2", [(item["id"], 1)])).json()
    await api.advance(confirmed["id"])
    cancelled = (await api.order("tick-3", [(item["id"], 1)])).json()
    await api.post(f"/api/v1/pesanan/{cancelled['id']}/batal")
    moved = await ordering.advance_all(app.state.db)
    assert moved == 2
    statuses = [
        (await api.get(f"/api/v1/pesanan/{o['id']}")).json()["status"]
        for o in (fresh, confirmed, cancelled)
    ]
    assert statuses == ["dikonfirmasi", "dikirim", "dibatalkan"]


async def test_order_clock_delivers_open_orders(clocked_api) -> None:
    item = await clocked_api.orderable()
    order = (await clocked_api.order("clock-1", [(item["id"], 1)])).json()
    status = order["status"]
    for _ in range(1_000):
        status = (await clocked_api.get(f"/api/v1/pesanan/{order['id']}")).json()["status"]
        if status == "diterima":
            break
        await asyncio.sleep(0.01)
    assert status == "diterima"
