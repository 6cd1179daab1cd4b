"""Batch lookups by NIB on suppliers and by several supplier ids on partnerships."""

from __future__ import annotations

import pytest


async def test_suppliers_batch_by_nib(api) -> None:
    everything = await api.walk("/api/v1/pemasok", per_page=100)
    wanted = [everything[9], everything[0], everything[4]]
    nibs = ",".join([*(s["nib"] for s in wanted), "9999999999999"])
    r = await api.get("/api/v1/pemasok", nib=nibs, per_halaman=100)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["id"] for s in body["data"]] == sorted(s["id"] for s in wanted)
    assert body["total"] == 3


async def test_nib_batch_combines_with_filters(api) -> None:
    everything = await api.walk("/api/v1/pemasok", per_page=100)
    nibs = ",".join(s["nib"] for s in everything[:6])
    halal = await api.get("/api/v1/pemasok", nib=nibs, sertifikasi="halal")
    expected = [
        s["id"] for s in everything[:6] if "halal" in {c["jenis"] for c in s["sertifikasi"]}
    ]
    assert [s["id"] for s in halal.json()["data"]] == expected
    assert 3 <= len(expected) < 6


@pytest.mark.parametrize("nib", ["812000010421", "8120000104219,abc", "8120000104219,", ""])
async def test_malformed_nib_batch_is_400(api, nib: str) -> None:
    r = await api.get("/api/v1/pemasok", nib=nib)
    assert r.status_code == 400
    assert r.json()["galat"]["kode"] == "PERMINTAAN_TIDAK_VALID"


async def test_too_many_nibs_is_400(api) -> None:
    nibs = ",".join(f"{8120000000000 + n}" for n in range(101))
    r = await api.get("/api/v1/pemasok", nib=nibs)
    assert r.status_code == 400
    assert r.json()["galat"]["kode"] == "TERLALU_BANYAK_ID"


async def test_partnerships_of_several_suppliers(api) -> None:
    everything = await api.walk("/api/v1/kemitraan", per_page=100)
    two = await api.walk("/api/v1/kemitraan", per_page=100, pemasok_id="3,1")
    assert two == [k for k in everything if k["pemasok_id"] in {1, 3}]
    assert {k["pemasok_id"] for k in two} == {1, 3}
    bad = await api.get("/api/v1/kemitraan", pemasok_id="1,satu")
    assert bad.status_code == 400
