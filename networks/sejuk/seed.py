"""The deterministic first-start data: cooperatives, suppliers, products, partnerships.

Every value derives from ``settings.seed`` (timestamps included), so two fresh databases
with the same settings are identical. Each product also gets one change-log entry, so a
feed walk from version 0 is a full load.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any

from faker import Faker
from sqlalchemy import Connection, insert

from networks.common.catalog import (
    CATEGORY_BY_SLUG,
    COOPERATIVE_TYPES,
    HOME_REGIONS,
    REGION_BY_CODE,
)
from networks.common.clock import month_start
from networks.common.db import insert_batched
from networks.common.universe import Umkm, Universe
from networks.sejuk.big_suppliers import BIG_SUPPLIERS, big_product_count, products_of
from networks.sejuk.changelog import snapshot
from networks.sejuk.settings import SejukSettings
from networks.sejuk.tables import kemitraan, koperasi, pemasok, perubahan_produk, produk
from networks.sejuk.waktu import WIB

BATCH = 10_000
_NAME_WORDS = ("Sejahtera", "Mandiri", "Bersatu", "Makmur", "Amanah", "Berkah", "Harapan")
_PESANTREN = ("Al-Ikhlas", "Al-Hidayah", "Al-Falah", "Darussalam", "Miftahul Huda", "Nurul Iman")
_PRODUSEN = ("Kopi Priangan", "Susu Lembang", "Tani Sayur", "Tahu Tempe", "Perajin Batik")
_COOPERATIVE_BUYERS = frozenset({"konsumen", "serba_usaha", "pesantren", "produsen"})


def seeder(settings: SejukSettings) -> Callable[[Connection], None]:
    """The seed function ``create_network_app`` runs once on a fresh database."""

    seeded_at = seeded_at_of(settings.seeded_on)

    def seed(conn: Connection) -> None:
        universe = Universe(settings.seed)
        umkm = universe.suppliers_for(settings.code, settings.suppliers)
        pemasok_id_of = {u.index: len(BIG_SUPPLIERS) + n + 1 for n, u in enumerate(umkm)}
        supplier_rows = [
            *_big_supplier_rows(),
            *(_umkm_row(pemasok_id_of[u.index], u) for u in umkm),
        ]
        insert_batched(conn, pemasok, supplier_rows)
        region_of = {row["id"]: row["kode_wilayah"] for row in supplier_rows}

        def product_rows() -> Iterator[dict[str, Any]]:
            number = 0
            for supplier_id, big in enumerate(BIG_SUPPLIERS, start=1):
                for item in products_of(big, settings.seed):
                    number += 1
                    yield {
                        "id": number,
                        "kode": item.kode,
                        "nama": item.nama,
                        "deskripsi": item.deskripsi,
                        "kategori": item.kategori,
                        "satuan": item.satuan,
                        "harga": item.harga,
                        "stok": item.stok,
                        "minimal_pesan": item.minimal_pesan,
                        "harga_grosir": item.harga_grosir,
                        "pemasok_id": supplier_id,
                        "kode_wilayah": region_of[supplier_id],
                        "diperbarui_pada": _stamp(seeded_at, number),
                        "dihapus": False,
                    }
            count = max(0, settings.products - big_product_count())
            for seed_item in universe.products_for(settings.code, umkm, count):
                number += 1
                supplier_id = pemasok_id_of[seed_item.umkm.index]
                yield {
                    "id": number,
                    "kode": seed_item.sku,
                    "nama": seed_item.name,
                    "deskripsi": seed_item.description,
                    "kategori": seed_item.category.slug,
                    "satuan": seed_item.unit,
                    "harga": seed_item.price,
                    "stok": seed_item.stock,
                    "minimal_pesan": seed_item.min_order,
                    "harga_grosir": [],
                    "pemasok_id": supplier_id,
                    "kode_wilayah": region_of[supplier_id],
                    "diperbarui_pada": _stamp(seeded_at, number),
                    "dihapus": False,
                }

        rows = product_rows()
        while batch := list(islice(rows, BATCH)):
            conn.execute(insert(produk), batch)
            conn.execute(
                insert(perubahan_produk),
                [{"produk_id": r["id"], "jenis": "ubah", "produk": snapshot(r)} for r in batch],
            )
        cooperatives = _cooperative_rows(settings)
        insert_batched(conn, koperasi, cooperatives)
        insert_batched(
            conn, kemitraan, _partnership_rows(settings.seed, cooperatives, settings.seeded_on)
        )

    return seed


def seeded_at_of(seeded_on: date) -> datetime:
    """When the seeded products were last changed: the seeding day's first moment in WIB
    (before any wall clock of that day, so no stamp lies in the future)."""
    return datetime.combine(seeded_on, time(0, 0), WIB)


def _stamp(seeded_at: datetime, number: int) -> str:
    # Spread over the 30 days before the seeding date.
    return (seeded_at - timedelta(minutes=(number * 37) % 43_200)).isoformat()


def _big_supplier_rows() -> Iterator[dict[str, Any]]:
    for n, big in enumerate(BIG_SUPPLIERS, start=1):
        kbli = [_kbli(slug) for slug in big.kategori]
        yield {
            "id": n,
            "nama": big.nama,
            "nib": big.nib,
            "kbli": kbli[0],
            "kbli_lain": kbli[1:],
            "kbli_cari": f",{','.join(kbli)},",
            "skala_usaha": "besar",
            "sertifikasi": [{"jenis": kind, "nomor": number} for kind, number in big.sertifikasi],
            "sertifikasi_cari": f",{','.join(kind for kind, _ in big.sertifikasi)},",
            "pemilik": big.pemilik,
            "telepon": big.telepon,
            "alamat": big.alamat,
            "kode_wilayah": big.kode_wilayah,
            "tahun_berdiri": big.tahun_berdiri,
        }


def _kbli(slug: str) -> str:
    return CATEGORY_BY_SLUG[slug].kbli


def _umkm_row(pemasok_id: int, umkm: Umkm) -> dict[str, Any]:
    return {
        "id": pemasok_id,
        "nama": umkm.name_in("sejuk"),
        "nib": umkm.nib,
        "kbli": umkm.kbli,
        "kbli_lain": list(umkm.kbli_codes[1:]),
        "kbli_cari": f",{','.join(umkm.kbli_codes)},",
        "skala_usaha": umkm.scale,
        "sertifikasi": [{"jenis": c.kind, "nomor": c.number} for c in umkm.certifications],
        "sertifikasi_cari": f",{','.join(c.kind for c in umkm.certifications)},",
        "pemilik": umkm.owner,
        "telepon": umkm.phone,
        "alamat": umkm.address,
        "kode_wilayah": umkm.region_code,
        "tahun_berdiri": umkm.founded_year,
    }


def _cooperative_rows(settings: SejukSettings) -> list[dict[str, Any]]:
    fake = Faker("id_ID")
    fake.seed_instance(settings.seed)
    rng = random.Random(f"koperasi:{settings.seed}")
    rows = []
    for n in range(1, settings.cooperatives + 1):
        jenis = COOPERATIVE_TYPES[(n - 1) % len(COOPERATIVE_TYPES)]
        region = rng.choice(HOME_REGIONS[settings.code])
        founded = rng.randint(1970, 2024)
        rows.append(
            {
                "id": n,
                "nama": _cooperative_name(jenis, rng, fake.last_name()),
                "jenis": jenis,
                "nomor_badan_hukum": f"AHU-{rng.randrange(10**7):07d}.AH.01.26.Tahun {founded}",
                "ketua": fake.name(),
                "alamat": f"{fake.street_address()}, {REGION_BY_CODE[region].name}",
                "telepon": fake.phone_number(),
                "kode_wilayah": region,
                "jumlah_anggota": rng.randint(20, 5_000),
                "tahun_berdiri": founded,
            }
        )
    return rows


def _cooperative_name(jenis: str, rng: random.Random, family: str) -> str:
    word = rng.choice(_NAME_WORDS)
    if jenis == "konsumen":
        return f"Koperasi Konsumen {word} {family}"
    if jenis == "produsen":
        return f"Koperasi Produsen {rng.choice(_PRODUSEN)} {word}"
    if jenis == "serba_usaha":
        return f"KSU {word} {family}"
    if jenis == "simpan_pinjam":
        return f"KSP {word} {family}"
    return f"Kopontren {rng.choice(_PESANTREN)} {family}"


def _partnership_rows(
    seed: int, cooperatives: list[dict[str, Any]], seeded_on: date
) -> list[dict[str, Any]]:
    """JUK MoUs: about half the buying cooperatives, each with one to three large suppliers,
    each signed in the three years before the seeding month and running three years."""
    rng = random.Random(f"kemitraan:{seed}")
    rows: list[dict[str, Any]] = []
    for coop in cooperatives:
        if coop["jenis"] not in _COOPERATIVE_BUYERS:
            continue
        # The first cooperative always has every partnership, so there is one to show.
        if coop["id"] == 1:
            chosen = list(range(len(BIG_SUPPLIERS)))
        elif rng.random() < 0.5:
            chosen = sorted(rng.sample(range(len(BIG_SUPPLIERS)), rng.randint(1, 2)))
        else:
            continue
        for index in chosen:
            signed = month_start(seeded_on, rng.randint(1, 35))
            year, month = signed.year, signed.month
            number = len(rows) + 1
            rows.append(
                {
                    "id": number,
                    "nomor_mou": f"JUK/MOU/{number:04d}/{year}",
                    "koperasi_id": coop["id"],
                    "pemasok_id": index + 1,
                    "kategori": list(BIG_SUPPLIERS[index].kategori),
                    "berlaku_mulai": f"{year}-{month:02d}-01",
                    "berlaku_sampai": f"{year + 3}-{month:02d}-01",
                }
            )
    return rows
