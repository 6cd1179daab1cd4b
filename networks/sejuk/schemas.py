"""SEJUK's catalogue shapes: what list, search and get answer, and the queries they take."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Skala = Literal["mikro", "kecil", "menengah", "besar"]
JenisSertifikasi = Literal["halal", "sni", "pirt", "bpom"]
JenisKoperasi = Literal["konsumen", "produsen", "serba_usaha", "simpan_pinjam", "pesantren"]

WILAYAH_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
ID_LIST_PATTERN = r"^\d{1,12}(,\d{1,12})*$"
NIB_LIST_PATTERN = r"^\d{13}(,\d{13})*$"

T = TypeVar("T")


class Sertifikasi(BaseModel):
    jenis: JenisSertifikasi
    nomor: str


class HargaGrosir(BaseModel):
    """From ``minimal`` units a line is priced at ``harga`` rupiah per unit."""

    minimal: int = Field(ge=2)
    harga: int = Field(gt=0)


class Kemitraan(BaseModel):
    """A partnership (JUK MoU) between a cooperative and a large supplier."""

    id: int
    nomor_mou: str
    koperasi_id: int
    pemasok_id: int
    kategori: list[str]
    berlaku_mulai: str
    berlaku_sampai: str


class Koperasi(BaseModel):
    id: int
    nama: str
    jenis: JenisKoperasi
    nomor_badan_hukum: str
    ketua: str
    alamat: str
    telepon: str
    kode_wilayah: str
    jumlah_anggota: int
    tahun_berdiri: int


class KoperasiRinci(Koperasi):
    """A cooperative with its partnerships."""

    kemitraan: list[Kemitraan]


class Pemasok(BaseModel):
    id: int
    nama: str
    nib: str
    kbli: str
    kbli_lain: list[str]
    skala_usaha: Skala
    sertifikasi: list[Sertifikasi]
    pemilik: str
    telepon: str
    alamat: str
    kode_wilayah: str
    tahun_berdiri: int
    koperasi_mitra: list[int] = Field(
        default_factory=list, description="ids of the cooperatives in JUK partnership (MoU)"
    )


class Produk(BaseModel):
    id: int
    kode: str
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
    diperbarui_pada: str


class Perubahan(BaseModel):
    """One change-log entry; ``produk`` is the product right after the change, null if deleted."""

    versi: int
    produk_id: int
    jenis: Literal["ubah", "hapus"]
    produk: Produk | None


class Halaman(BaseModel, Generic[T]):
    data: list[T]
    halaman: int
    per_halaman: int
    total: int
    total_halaman: int


class KoperasiHalaman(Halaman[Koperasi]):
    pass


class PemasokHalaman(Halaman[Pemasok]):
    pass


class ProdukHalaman(Halaman[Produk]):
    pass


class KemitraanHalaman(Halaman[Kemitraan]):
    pass


class PerubahanHalaman(Halaman[Perubahan]):
    versi_sampai: int = Field(description="pass as `sampai` on later pages of this walk")


class GalatIsi(BaseModel):
    kode: str
    pesan: str
    rincian: list[dict[str, Any]] = []
    pesanan_id: int | None = Field(default=None, description="only with REFERENSI_GANDA")


class GalatRespons(BaseModel):
    """SEJUK's error body."""

    galat: GalatIsi


class HalamanQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    halaman: int = Field(default=1, ge=1, description="1-based page number")
    per_halaman: int = Field(default=20, ge=1, description="page size, at most max_page_size")


class CariQuery(HalamanQuery):
    q: str | None = Field(default=None, max_length=200, description="text search over names")
    id: str | None = Field(
        default=None, pattern=ID_LIST_PATTERN, description="batch lookup: comma-separated ids"
    )

    def ids(self) -> list[int] | None:
        return _id_list(self.id)

    def batch_size(self) -> int:
        """How many keys a batch lookup names (0 when it is not one)."""
        return len(self.ids() or ())


class KoperasiQuery(CariQuery):
    jenis: JenisKoperasi | None = None
    wilayah: str | None = Field(default=None, pattern=WILAYAH_PATTERN)


class PemasokQuery(CariQuery):
    nib: str | None = Field(
        default=None, pattern=NIB_LIST_PATTERN, description="batch lookup: comma-separated NIBs"
    )
    wilayah: str | None = Field(default=None, pattern=WILAYAH_PATTERN)
    kbli: str | None = Field(default=None, pattern=r"^\d{5}$")
    skala: Skala | None = None
    sertifikasi: JenisSertifikasi | None = None

    def nibs(self) -> list[str] | None:
        return None if self.nib is None else sorted(set(self.nib.split(",")))

    def batch_size(self) -> int:
        return max(super().batch_size(), len(self.nibs() or ()))


class ProdukQuery(CariQuery):
    kategori: str | None = Field(default=None, max_length=50)
    pemasok_id: int | None = Field(default=None, ge=1)
    wilayah: str | None = Field(default=None, pattern=WILAYAH_PATTERN)
    harga_min: int | None = Field(default=None, ge=0)
    harga_maks: int | None = Field(default=None, ge=0)
    ada_stok: bool | None = None


class KemitraanQuery(HalamanQuery):
    koperasi_id: str | None = Field(
        default=None,
        pattern=ID_LIST_PATTERN,
        description="one cooperative id or several, comma-separated",
    )
    pemasok_id: str | None = Field(
        default=None,
        pattern=ID_LIST_PATTERN,
        description="one supplier id or several, comma-separated",
    )

    def koperasi_ids(self) -> list[int] | None:
        return _id_list(self.koperasi_id)

    def pemasok_ids(self) -> list[int] | None:
        return _id_list(self.pemasok_id)


def _id_list(raw: str | None) -> list[int] | None:
    return None if raw is None else sorted({int(part) for part in raw.split(",")})


class PerubahanQuery(HalamanQuery):
    sejak: int = Field(default=0, ge=0, description="changes after this version")
    sampai: int | None = Field(
        default=None, ge=0, description="`versi_sampai` of the walk's first page"
    )
