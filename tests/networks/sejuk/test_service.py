"""Running SEJUK: faults, OpenAPI, real HTTP, unknown paths and the command line."""

from __future__ import annotations

import httpx

from networks.sejuk.app import create_app
from networks.sejuk.settings import DEFAULT_PORT, SejukSettings
from networks.testing import on_free_port


async def test_faults_apply_and_reset(api, client) -> None:
    r = await client.put("/admin/faults", json={"error_rate": 1}, headers=api.admin)
    assert r.status_code == 200
    assert (await api.get("/api/v1/produk")).status_code == 500
    assert (await client.delete("/admin/faults", headers=api.admin)).status_code == 200
    assert (await api.get("/api/v1/produk")).status_code == 200


async def test_openapi_documents_every_endpoint(client) -> None:
    doc = (await client.get("/openapi.json")).json()
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["default"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    assert set(doc["paths"]) == {
        "/api/v1/koperasi",
        "/api/v1/koperasi/{id}",
        "/api/v1/pemasok",
        "/api/v1/pemasok/{id}",
        "/api/v1/produk",
        "/api/v1/produk/{id}",
        "/api/v1/kemitraan",
        "/api/v1/perubahan/produk",
        "/api/v1/pesanan",
        "/api/v1/pesanan/{id}",
        "/api/v1/pesanan/{id}/batal",
        "/admin/produk/{id}",
        "/admin/pesanan/{id}/maju",
    }
    produk = doc["paths"]["/api/v1/produk"]["get"]
    assert {p["name"] for p in produk["parameters"]} >= {"q", "id", "wilayah", "harga_maks"}
    assert "GalatRespons" in doc["components"]["schemas"]


async def test_unknown_path_and_method_use_the_sejuk_error_shape(api, client) -> None:
    r = await api.get("/api/v1/tidak-ada")
    assert r.status_code == 404
    assert r.json()["galat"]["kode"] == "TIDAK_DITEMUKAN"
    r = await client.patch("/api/v1/produk/1", headers=api.headers)
    assert r.status_code == 405
    assert r.json()["galat"]["kode"] == "METODE_TIDAK_DIIZINKAN"


async def test_serves_real_http(settings) -> None:
    async with on_free_port(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        r = await http.get("/api/v1/produk/1", headers={"X-API-Key": "sejuk-dev-key"})
        assert r.status_code == 200
        assert r.json()["id"] == 1


def test_default_port() -> None:
    assert DEFAULT_PORT == SejukSettings().port == 8101
    assert SejukSettings().api_keys == {"sejuk-dev-key": "koperasi-hub"}
