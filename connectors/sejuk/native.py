"""SEJUK's answers as it sends them, validated strictly before anything is mapped."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

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
    koperasi_id: int
    pemasok_id: int


class Halaman(Native, Generic[N]):
    """One page of a list endpoint; ``total`` counts every match, not just this page."""

    data: list[N]
    total: int


PRODUK_PAGE = TypeAdapter(Halaman[Produk])
PEMASOK_PAGE = TypeAdapter(Halaman[Pemasok])
KOPERASI_PAGE = TypeAdapter(Halaman[Koperasi])
KEMITRAAN_PAGE = TypeAdapter(Halaman[Kemitraan])
