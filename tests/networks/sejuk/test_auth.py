"""Partner API keys and the admin token: every endpoint refuses without them."""

from __future__ import annotations

import pytest

PARTNER_CALLS = [
    ("GET", "/api/v1/koperasi"),
    ("GET", "/api/v1/koperasi/1"),
    ("GET", "/api/v1/pemasok"),
    ("GET", "/api/v1/pemasok/1"),
    ("GET", "/api/v1/produk"),
    ("GET", "/api/v1/produk/1"),
    ("GET", "/api/v1/kemitraan"),
    ("GET", "/api/v1/perubahan/produk"),
    ("GET", "/api/v1/pesanan"),
    ("GET", "/api/v1/pesanan/1"),
    ("POST", "/api/v1/pesanan"),
    ("POST", "/api/v1/pesanan/1/batal"),
]
ADMIN_CALLS = [
    ("PUT", "/admin/produk/1"),
    ("DELETE", "/admin/produk/1"),
    ("POST", "/admin/pesanan/1/maju"),
    ("GET", "/admin/faults"),
]


@pytest.mark.parametrize(("method", "path"), PARTNER_CALLS)
@pytest.mark.parametrize(
    ("headers", "kode"),
    [
        ({}, "KUNCI_API_HILANG"),
        ({"X-API-Key": ""}, "KUNCI_API_HILANG"),
        ({"X-API-Key": "kunci-palsu"}, "KUNCI_API_TIDAK_DIKENAL"),
        ({"Authorization": "Bearer admin-dev-token"}, "KUNCI_API_HILANG"),
    ],
)
async def test_partner_endpoints_need_a_known_key(
    client, method: str, path: str, headers: dict[str, str], kode: str
) -> None:
    r = await client.request(method, path, headers=headers, json={})
    assert r.status_code == 401
    assert r.json()["galat"]["kode"] == kode


@pytest.mark.parametrize(("method", "path"), ADMIN_CALLS)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer salah"},
        {"Authorization": "admin-dev-token"},
        {"X-API-Key": "sejuk-dev-key"},
    ],
)
async def test_admin_endpoints_need_the_admin_token(
    client, method: str, path: str, headers: dict[str, str]
) -> None:
    r = await client.request(method, path, headers=headers, json={})
    assert r.status_code == 401
    assert r.json()["galat"]["kode"] == "TIDAK_BERWENANG"


async def test_failed_auth_writes_nothing(api, client) -> None:
    before = await api.product(1)
    r = await client.delete("/admin/produk/1", headers={"Authorization": "Bearer salah"})
    assert r.status_code == 401
    r = await client.post(
        "/api/v1/pesanan",
        headers={"X-API-Key": "kunci-palsu"},
        json={"referensi_klien": "x", "baris": [{"produk_id": 1, "jumlah": 1}]},
    )
    assert r.status_code == 401
    assert await api.product(1) == before
    assert (await api.get("/api/v1/pesanan")).json()["total"] == 0


async def test_health_and_docs_are_public(client) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok", "network": "sejuk"}
    assert (await client.get("/openapi.json")).status_code == 200
