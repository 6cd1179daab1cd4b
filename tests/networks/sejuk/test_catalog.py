"""Catalogue endpoints: list, search, filters, batch lookup, get, paging."""

from __future__ import annotations

import pytest

from networks.common.catalog import COOPERATIVE_TYPES


@pytest.mark.parametrize("path", ["/api/v1/koperasi", "/api/v1/pemasok", "/api/v1/produk"])
async def test_paging_walks_every_item_once(api, path: str) -> None:
    items = await api.walk(path, per_page=7)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)
    everything = await api.walk(path, per_page=100)
    assert [i["id"] for i in everything] == ids


async def test_page_envelope(api) -> None:
    r = await api.get("/api/v1/produk", halaman=2, per_halaman=25)
    body = r.json()
    assert r.status_code == 200
    assert (body["halaman"], body["per_halaman"], body["total"]) == (2, 25, 120)
    assert body["total_halaman"] == 5
    assert len(body["data"]) == 25
    beyond = (await api.get("/api/v1/produk", halaman=99)).json()
    assert beyond["data"] == []
    assert beyond["total"] == 120


async def test_default_page_size_is_twenty(api) -> None:
    body = (await api.get("/api/v1/produk")).json()
    assert body["per_halaman"] == 20
    assert len(body["data"]) == 20


@pytest.mark.parametrize(
    "path", ["/api/v1/koperasi", "/api/v1/pemasok", "/api/v1/produk", "/api/v1/kemitraan"]
)
async def test_oversize_page_is_rejected(api, path: str) -> None:
    r = await api.get(path, per_halaman=101)
    assert r.status_code == 400
    assert r.json()["galat"]["kode"] == "UKURAN_HALAMAN_TERLALU_BESAR"
    assert (await api.get(path, per_halaman=100)).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"halaman": 0},
        {"halaman": "satu"},
        {"per_halaman": 0},
        {"id": "1,dua"},
        {"harga_min": -5},
        {"ada_stok": "mungkin"},
        {"wilayah": "Bandung"},
        {"tidak_dikenal": "x"},
    ],
)
async def test_bad_query_is_400_in_sejuk_style(api, params: dict[str, object]) -> None:
    r = await api.get("/api/v1/produk", **params)
    assert r.status_code == 400
    galat = r.json()["galat"]
    assert galat["kode"] == "PERMINTAAN_TIDAK_VALID"
    assert galat["pesan"]
    assert galat["rincian"]
    assert "kolom" in galat["rincian"][0]


async def test_product_search_and_filters(api) -> None:
    everything = await api.walk("/api/v1/produk", per_page=100)
    beras = await api.walk("/api/v1/produk", per_page=100, q="BERAS")
    assert beras
    assert all("beras" in p["nama"].lower() or "beras" in p["deskripsi"].lower() for p in beras)
    kopi = await api.walk("/api/v1/produk", per_page=100, kategori="kopi")
    assert {p["kategori"] for p in kopi} == {"kopi"}
    assert len(kopi) == sum(p["kategori"] == "kopi" for p in everything)
    cheap = await api.walk("/api/v1/produk", per_page=100, harga_min=10_000, harga_maks=20_000)
    assert cheap
    assert all(10_000 <= p["harga"] <= 20_000 for p in cheap)
    empty = await api.walk("/api/v1/produk", per_page=100, ada_stok="false")
    assert all(p["stok"] == 0 for p in empty)
    stocked = await api.walk("/api/v1/produk", per_page=100, ada_stok="true")
    assert len(empty) + len(stocked) == len(everything)
    supplier = everything[-1]["pemasok_id"]
    own = await api.walk("/api/v1/produk", per_page=100, pemasok_id=supplier)
    assert own
    assert all(p["pemasok_id"] == supplier for p in own)


async def test_region_filter_takes_codes_and_prefixes(api) -> None:
    everything = await api.walk("/api/v1/produk", per_page=100)
    java_west = await api.walk("/api/v1/produk", per_page=100, wilayah="32")
    assert len(java_west) == sum(p["kode_wilayah"].startswith("32.") for p in everything)
    bandung = await api.walk("/api/v1/produk", per_page=100, wilayah="32.73")
    assert bandung
    assert all(p["kode_wilayah"] == "32.73" for p in bandung)
    assert (await api.get("/api/v1/produk", wilayah="3")).status_code == 400


async def test_batch_lookup_returns_known_ids_only(api) -> None:
    r = await api.get("/api/v1/produk", id="3,1,2,99999")
    body = r.json()
    assert [p["id"] for p in body["data"]] == [1, 2, 3]
    assert body["total"] == 3
    r = await api.get("/api/v1/pemasok", id="2,1")
    assert [p["id"] for p in r.json()["data"]] == [1, 2]
    r = await api.get("/api/v1/koperasi", id="5")
    assert [p["id"] for p in r.json()["data"]] == [5]
    too_many = ",".join(str(i) for i in range(1, 102))
    r = await api.get("/api/v1/produk", id=too_many)
    assert r.status_code == 400
    assert r.json()["galat"]["kode"] == "TERLALU_BANYAK_ID"


async def test_get_one_and_not_found(api) -> None:
    item = await api.product(1)
    assert item["id"] == 1
    assert isinstance(item["harga"], int)
    for path in ("/api/v1/produk", "/api/v1/pemasok", "/api/v1/koperasi"):
        assert (await api.get(f"{path}/1")).status_code == 200
        for missing in ("999999", "abc", "0", "99999999999999999999999"):
            r = await api.get(f"{path}/{missing}")
            assert r.status_code == 404
            assert r.json()["galat"]["kode"] == "TIDAK_DITEMUKAN"


async def test_large_suppliers_and_their_wholesale_tiers(api) -> None:
    big = await api.walk("/api/v1/pemasok", per_page=100, skala="besar")
    names = {s["nama"]: s for s in big}
    for name in (
        "Perum Logistik Pangan Nusantara",
        "PT Indopangan Sukses Makmur Tbk",
        "PT Unilestari Indonesia Tbk",
    ):
        assert name in names
        assert len(names[name]["nib"]) == 13
        assert names[name]["nib"].isdigit()
    tiered = await api.walk(
        "/api/v1/produk", per_page=100, pemasok_id=names["PT Unilestari Indonesia Tbk"]["id"]
    )
    assert {p["kategori"] for p in tiered} == {"sabun", "teh"}
    for p in tiered:
        minimums = [t["minimal"] for t in p["harga_grosir"]]
        prices = [t["harga"] for t in p["harga_grosir"]]
        assert minimums == [10, 50, 200]
        assert p["harga"] > prices[0] > prices[1] > prices[2]


async def test_supplier_filters(api) -> None:
    everything = await api.walk("/api/v1/pemasok", per_page=100)
    assert all(len(s["nib"]) == 13 for s in everything)
    halal = await api.walk("/api/v1/pemasok", per_page=100, sertifikasi="halal")
    assert halal
    assert all(any(c["jenis"] == "halal" for c in s["sertifikasi"]) for s in halal)
    kbli = everything[5]["kbli"]
    by_kbli = await api.walk("/api/v1/pemasok", per_page=100, kbli=kbli)
    assert everything[5]["id"] in {s["id"] for s in by_kbli}
    assert all(kbli in [s["kbli"], *s["kbli_lain"]] for s in by_kbli)
    by_name = await api.walk("/api/v1/pemasok", per_page=100, q="indopangan")
    assert [s["nama"] for s in by_name] == ["PT Indopangan Sukses Makmur Tbk"]
    by_nib = await api.walk("/api/v1/pemasok", per_page=100, q=everything[7]["nib"])
    assert [s["id"] for s in by_nib] == [everything[7]["id"]]
    micro = await api.walk("/api/v1/pemasok", per_page=100, skala="mikro")
    assert all(s["skala_usaha"] == "mikro" for s in micro)
    assert (await api.get("/api/v1/pemasok", skala="raksasa")).status_code == 400


async def test_cooperatives_types_and_filters(api) -> None:
    everything = await api.walk("/api/v1/koperasi", per_page=100)
    assert {c["jenis"] for c in everything} == set(COOPERATIVE_TYPES)
    pesantren = await api.walk("/api/v1/koperasi", per_page=100, jenis="pesantren")
    assert pesantren
    assert all(c["jenis"] == "pesantren" for c in pesantren)
    bandung_raya = await api.walk("/api/v1/koperasi", per_page=100, wilayah="32")
    assert len(bandung_raya) == len(everything)
    named = await api.walk("/api/v1/koperasi", per_page=100, q=everything[3]["nama"][-6:])
    assert everything[3]["id"] in {c["id"] for c in named}


async def test_partnerships_on_detail_and_by_filter(api) -> None:
    detail = (await api.get("/api/v1/koperasi/1")).json()
    assert {k["pemasok_id"] for k in detail["kemitraan"]} == {1, 2, 3}
    assert all(k["nomor_mou"].startswith("JUK/MOU/") for k in detail["kemitraan"])
    listed = await api.walk("/api/v1/kemitraan", per_page=100, koperasi_id=1)
    assert listed == detail["kemitraan"]
    with_bulog = await api.walk("/api/v1/kemitraan", per_page=3, pemasok_id=1)
    assert with_bulog
    assert all(k["pemasok_id"] == 1 for k in with_bulog)
    both = await api.walk("/api/v1/kemitraan", koperasi_id=1, pemasok_id=2)
    assert len(both) == 1
    several = await api.walk("/api/v1/kemitraan", per_page=2, koperasi_id="1,2,3")
    assert {k["koperasi_id"] for k in several} <= {1, 2, 3}
    assert [k for k in several if k["koperasi_id"] == 1] == listed
