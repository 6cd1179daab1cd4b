"""SEJUK's large suppliers: national producers whose staples carry wholesale tiers.

They are not UMKM from the shared universe but SEJUK's own partners (fictional names for
a state food-logistics agency and two listed consumer-goods makers), which cooperatives
buy from under JUK partnerships.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from networks.common.catalog import CATEGORY_BY_SLUG
from networks.sejuk.pricing import tiers_for


@dataclass(frozen=True, slots=True)
class BigSupplier:
    nama: str
    nib: str
    merek: str
    kategori: tuple[str, ...]
    pemilik: str
    alamat: str
    telepon: str
    kode_wilayah: str
    tahun_berdiri: int
    sertifikasi: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class BigProduct:
    kode: str
    nama: str
    deskripsi: str
    kategori: str
    satuan: str
    harga: int
    stok: int
    minimal_pesan: int
    harga_grosir: list[dict[str, int]]


BIG_SUPPLIERS: tuple[BigSupplier, ...] = (
    BigSupplier(
        nama="Perum Logistik Pangan Nusantara",
        nib="8120000104219",
        merek="Pangan Nusantara",
        kategori=("beras", "gula"),
        pemilik="Direktur Utama Perum LPN",
        alamat="Jl. Soekarno-Hatta No. 711, Kanwil Jawa Barat",
        telepon="(022) 7320101",
        kode_wilayah="32.73",
        tahun_berdiri=1967,
        sertifikasi=(("halal", "ID32110000104219"), ("sni", "SNI 6128:2020")),
    ),
    BigSupplier(
        nama="PT Indopangan Sukses Makmur Tbk",
        nib="8120006431550",
        merek="Indopangan",
        kategori=("mie", "tepung", "minyak-goreng"),
        pemilik="Presiden Direktur PT ISM",
        alamat="Kawasan Industri Rancaekek Km. 24",
        telepon="(022) 7798800",
        kode_wilayah="32.04",
        tahun_berdiri=1990,
        sertifikasi=(
            ("halal", "ID32110006431550"),
            ("sni", "SNI 3751:2009"),
            ("bpom", "MD 231510006431"),
        ),
    ),
    BigSupplier(
        nama="PT Unilestari Indonesia Tbk",
        nib="8120011789032",
        merek="Unilestari",
        kategori=("sabun", "teh"),
        pemilik="Presiden Direktur PT UI",
        alamat="Jl. Raya Padalarang No. 88, Pusat Distribusi Jawa Barat",
        telepon="(022) 6866000",
        kode_wilayah="32.17",
        tahun_berdiri=1933,
        sertifikasi=(
            ("halal", "ID32110011789032"),
            ("sni", "SNI 4594:2017"),
            ("bpom", "MD 251510011789"),
        ),
    ),
)


def products_of(supplier: BigSupplier, seed: int) -> Iterator[BigProduct]:
    """Every catalogue item in the supplier's categories, under its brand, with tiers."""
    number = 0
    for slug in supplier.kategori:
        category = CATEGORY_BY_SLUG[slug]
        for item in category.items:
            rng = random.Random(f"besar:{seed}:{supplier.nib}:{number}")
            price = round(rng.randint(item.price_low, item.price_high) / 100) * 100
            yield BigProduct(
                kode=f"{supplier.nib}-{number:04d}",
                nama=f"{item.name} {supplier.merek}",
                deskripsi=f"{item.name} dari {supplier.nama}; harga grosir mulai 10 {item.unit}.",
                kategori=slug,
                satuan=item.unit,
                harga=price,
                stok=rng.randint(2_000, 50_000),
                minimal_pesan=item.min_order,
                harga_grosir=tiers_for(price),
            )
            number += 1


def big_product_count() -> int:
    """How many products the large suppliers bring, whatever the seed."""
    return sum(len(CATEGORY_BY_SLUG[s].items) for b in BIG_SUPPLIERS for s in b.kategori)
