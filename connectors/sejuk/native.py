"""SEJUK's answers as it sends them, validated strictly before anything is mapped."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

N = TypeVar("N", bound=BaseModel)

Skala = Literal["mikro", "kecil", "menengah", "besar"]
JenisSertifikasi = Literal["halal", "sni", "pirt", "bpom"]
JenisKoperasi = Literal["konsumen", "produsen", "serba_usaha", "simpan_pinjam", "pesantren"]


class Native(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)


class HargaGrosir(Native):
    minimal: int
    harga: int


class Produk(Native):
    id: int
    nama: str
    deskripsi: str
    kategori: str
    satuan: str
    harga: int
    stok: int
    minimal_pesan: int
    harga_grosir: list[HargaGrosir]
    pemasok_id: int
    kode_wilayah: str


class Sertifikasi(Native):
    jenis: JenisSertifikasi
    nomor: str


class Pemasok(Native):
    id: int
    nama: str
    nib: str
    kbli: str
    kbli_lain: list[str]
    skala_usaha: Skala
    sertifikasi: list[Sertifikasi]
    kode_wilayah: str
    koperasi_mitra: list[int] = []


class Koperasi(Native):
    id: int
    nama: str
    jenis: JenisKoperasi
    alamat: str
    kode_wilayah: str
    jumlah_anggota: int


class Kemitraan(Native):
    nomor_mou: str
    koperasi_id: int
    pemasok_id: int
    kategori: list[str]
    berlaku_mulai: str  # ISO date
    berlaku_sampai: str


class Halaman(Native, Generic[N]):
    """One page of a list endpoint; ``total`` counts every match, not just this page."""

    data: list[N]
    total: int


PRODUK_PAGE = TypeAdapter(Halaman[Produk])
PEMASOK_PAGE = TypeAdapter(Halaman[Pemasok])
KOPERASI_PAGE = TypeAdapter(Halaman[Koperasi])
KEMITRAAN_PAGE = TypeAdapter(Halaman[Kemitraan])


StatusPesanan = Literal["dibuat", "dikonfirmasi", "dikirim", "diterima", "dibatalkan"]


class Pembeli(Native):
    """The buyer an order is placed for (SEJUK knows only its own members)."""

    nama: str
    organisasi_id: str
    jaringan_asal: str
    kode_wilayah_kirim: str


class BarisMasuk(Native):
    produk_id: int
    jumlah: int


class PesananMasuk(Native):
    """Body of ``POST /api/v1/pesanan``; ``referensi_klien`` is unique per partner."""

    referensi_klien: str
    pembeli: Pembeli
    baris: list[BarisMasuk]


class BarisPesanan(Native):
    """One priced line: ``harga_satuan`` is the wholesale tier ``jumlah`` reaches."""

    produk_id: int
    nama: str
    satuan: str
    jumlah: int
    harga_dasar: int
    harga_satuan: int
    tingkat_grosir: int | None
    subtotal: int


class Pesanan(Native):
    id: int
    referensi_klien: str
    status: StatusPesanan
    pembeli: Pembeli
    baris: list[BarisPesanan]
    total: int
    catatan: str | None
    dibuat_pada: str
    diperbarui_pada: str


class GalatIsi(BaseModel):
    """SEJUK's error: its own code, a message in Indonesian, details, and for
    ``REFERENSI_GANDA`` the order already holding the reference."""

    model_config = ConfigDict(frozen=True)

    kode: str
    pesan: str
    rincian: list[dict[str, Any]] = []
    pesanan_id: int | None = None


class GalatRespons(BaseModel):
    model_config = ConfigDict(frozen=True)

    galat: GalatIsi


PESANAN = TypeAdapter(Pesanan)
PESANAN_PAGE = TypeAdapter(Halaman[Pesanan])
GALAT = TypeAdapter(GalatRespons)
