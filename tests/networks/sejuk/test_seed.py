"""Seeding: deterministic for a seed, and shaped like SEJUK's real members."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from networks.common.universe import Universe
from networks.sejuk.app import create_app
from networks.testing import in_process


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


async def test_same_seed_same_database(tmp_path, new_settings) -> None:
    dumps = []
    for name in ("a", "b"):
        settings = new_settings(tmp_path / name)
        async with in_process(create_app(settings)):
            pass
        dumps.append(dump(settings.database))
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["produk"]) == 120
    assert len(dumps[0]["perubahan_produk"]) == 120


async def test_another_seed_differs(tmp_path, new_settings) -> None:
    one, two = new_settings(tmp_path / "a"), new_settings(tmp_path / "b", seed=8)
    for settings in (one, two):
        async with in_process(create_app(settings)):
            pass
    assert dump(one.database)["koperasi"] != dump(two.database)["koperasi"]


async def test_umkm_come_from_the_shared_universe(api, settings) -> None:
    expected = Universe(settings.seed).suppliers_for("sejuk", settings.suppliers)
    suppliers = await api.walk("/api/v1/pemasok", per_page=100)
    assert len(suppliers) == settings.suppliers + 3
    umkm = suppliers[3:]
    assert [s["nib"] for s in umkm] == [u.nib for u in expected]
    assert [s["nama"] for s in umkm] == [u.name_in("sejuk") for u in expected]
    assert all(s["kode_wilayah"] for s in umkm)


async def test_restart_keeps_the_data(tmp_path, new_settings) -> None:
    settings = new_settings(tmp_path)
    async with in_process(create_app(settings)) as client:
        r = await client.delete(
            "/admin/produk/1", headers={"Authorization": "Bearer admin-dev-token"}
        )
        assert r.status_code == 204
    async with in_process(create_app(settings)) as client:
        r = await client.get("/api/v1/produk/1", headers={"X-API-Key": "sejuk-dev-key"})
        assert r.status_code == 404
