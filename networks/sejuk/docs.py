"""SEJUK's OpenAPI 3.1 document, served at ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from networks.common.openapi import Operation, build_openapi
from networks.sejuk.admin_schemas import ProdukMasuk
from networks.sejuk.order_schemas import Pesanan, PesananHalaman, PesananMasuk, PesananQuery
from networks.sejuk.schemas import (
    GalatRespons,
    KemitraanHalaman,
    KemitraanQuery,
    KoperasiHalaman,
    KoperasiQuery,
    KoperasiRinci,
    Pemasok,
    PemasokHalaman,
    PemasokQuery,
    PerubahanHalaman,
    PerubahanQuery,
    Produk,
    ProdukHalaman,
    ProdukQuery,
)

_ADMIN = (("Authorization", "Bearer <admin token>", True),)

OPERATIONS: list[Operation] = [
    Operation("GET", "/api/v1/koperasi", "daftarKoperasi", "Cari koperasi",
              KoperasiHalaman, KoperasiQuery, tags=("katalog",)),
    Operation("GET", "/api/v1/koperasi/{id}", "ambilKoperasi", "Koperasi dan kemitraannya",
              KoperasiRinci, tags=("katalog",)),
    Operation("GET", "/api/v1/pemasok", "daftarPemasok", "Cari pemasok (UMKM dan besar)",
              PemasokHalaman, PemasokQuery, tags=("katalog",)),
    Operation("GET", "/api/v1/pemasok/{id}", "ambilPemasok", "Satu pemasok",
              Pemasok, tags=("katalog",)),
    Operation("GET", "/api/v1/produk", "daftarProduk", "Cari produk",
              ProdukHalaman, ProdukQuery, tags=("katalog",)),
    Operation("GET", "/api/v1/produk/{id}", "ambilProduk", "Satu produk",
              Produk, tags=("katalog",)),
    Operation("GET", "/api/v1/kemitraan", "daftarKemitraan", "Kemitraan (MoU JUK)",
              KemitraanHalaman, KemitraanQuery, tags=("katalog",)),
    Operation("GET", "/api/v1/perubahan/produk", "perubahanProduk",
              "Perubahan produk sejak suatu versi", PerubahanHalaman, PerubahanQuery,
              tags=("sinkronisasi",)),
    Operation("POST", "/api/v1/pesanan", "buatPesanan", "Buat pesanan",
              Pesanan, body=PesananMasuk, status=201, tags=("pesanan",)),
    Operation("GET", "/api/v1/pesanan", "daftarPesanan",
              "Pesanan mitra sendiri; cari dengan referensi_klien", PesananHalaman,
              PesananQuery, tags=("pesanan",)),
    Operation("GET", "/api/v1/pesanan/{id}", "ambilPesanan", "Satu pesanan",
              Pesanan, tags=("pesanan",)),
    Operation("POST", "/api/v1/pesanan/{id}/batal", "batalkanPesanan",
              "Batalkan pesanan yang belum dikirim", Pesanan, tags=("pesanan",)),
    Operation("PUT", "/admin/produk/{id}", "simpanProduk", "Buat atau ganti produk",
              Produk, body=ProdukMasuk, headers=_ADMIN, tags=("admin",), secured=False),
    Operation("DELETE", "/admin/produk/{id}", "hapusProduk", "Hapus produk", status=204,
              headers=_ADMIN, tags=("admin",), secured=False),
    Operation("POST", "/admin/pesanan/{id}/maju", "majukanPesanan",
              "Majukan status pesanan satu langkah", Pesanan, headers=_ADMIN,
              tags=("admin",), secured=False),
]  # fmt: skip


def openapi_document() -> dict[str, Any]:
    """The whole API as OpenAPI 3.1."""
    return build_openapi(
        title="SEJUK API",
        version="1.0.0",
        description=(
            "Sistem Ekonomi Jaringan Usaha Koperasi, Kota Bandung. Semua harga dalam rupiah "
            "(bilangan bulat). Autentikasi mitra: header X-API-Key."
        ),
        operations=OPERATIONS,
        security_scheme={"type": "apiKey", "in": "header", "name": "X-API-Key"},
        error_model=GalatRespons,
    )


def routes() -> list[Route]:
    """``GET /openapi.json``, built once."""
    document = openapi_document()

    async def openapi(_: Request) -> Response:
        return JSONResponse(document)

    return [Route("/openapi.json", openapi, methods=["GET"])]
