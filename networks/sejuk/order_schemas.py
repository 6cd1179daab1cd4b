"""SEJUK's order shapes: the order a partner places and the order it gets back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from networks.sejuk.schemas import Halaman, HalamanQuery

StatusPesanan = Literal["dibuat", "dikonfirmasi", "dikirim", "diterima", "dibatalkan"]

KODE_WILAYAH_PATTERN = r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$"


class Pembeli(BaseModel):
    """The buyer the partner orders on behalf of."""

    model_config = ConfigDict(extra="forbid", strict=True)

    nama: str = Field(min_length=1, max_length=200)
    organisasi_id: str = Field(min_length=1, max_length=100)
    jaringan_asal: str = Field(min_length=1, max_length=50)
    kode_wilayah_kirim: str = Field(pattern=KODE_WILAYAH_PATTERN)


class BarisMasuk(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    produk_id: int = Field(ge=1)
    jumlah: int = Field(gt=0, le=1_000_000)


class PesananMasuk(BaseModel):
    """Body of ``POST /api/v1/pesanan``; ``referensi_klien`` is unique per partner."""

    model_config = ConfigDict(extra="forbid", strict=True)

    referensi_klien: str = Field(min_length=1, max_length=100)
    pembeli: Pembeli
    baris: list[BarisMasuk] = Field(min_length=1, max_length=100)
    catatan: str | None = Field(default=None, max_length=1000)


class BarisPesanan(BaseModel):
    """One priced line: ``harga_satuan`` is the wholesale tier the quantity reaches."""

    produk_id: int
    nama: str
    satuan: str
    jumlah: int
    harga_dasar: int
    harga_satuan: int
    tingkat_grosir: int | None = Field(description="`minimal` of the tier applied, if any")
    subtotal: int


class Pesanan(BaseModel):
    id: int
    referensi_klien: str
    status: StatusPesanan
    pembeli: Pembeli
    baris: list[BarisPesanan]
    total: int
    catatan: str | None
    dibuat_pada: str
    diperbarui_pada: str


class PesananHalaman(Halaman[Pesanan]):
    pass


class PesananQuery(HalamanQuery):
    referensi_klien: str | None = Field(default=None, min_length=1, max_length=100)
    status: StatusPesanan | None = None
