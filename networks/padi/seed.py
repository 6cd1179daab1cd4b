"""Deterministic seed data: UMKM and products from the Universe, koperasi, BUMN, spend."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from faker import Faker
from sqlalchemy import Connection, insert, literal

from networks.common.catalog import COOPERATIVE_TYPES, REGIONS
from networks.common.clock import months_up_to
from networks.common.db import SeedFunction, insert_batched
from networks.common.universe import Umkm, Universe
from networks.padi import tables
from networks.padi.settings import PadiSettings

# Months of seeded spend, ending with the seeding month: three years, so any period the
# hub accepts (at most 24 months) within them has figures.
SPEND_MONTH_COUNT = 36
# Spend grows this much a year: the latest twelve months are the largest.
_YEARLY_GROWTH = 1.15

BUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("BUMN-ENERGI", "PT Energi Nusantara (Persero)", "energi", "31.71"),
    ("BUMN-BRN", "PT Bank Rakyat Nusantara (Persero) Tbk", "keuangan", "31.71"),
    ("BUMN-PANGAN", "PT Pangan Negeri (Persero)", "pangan", "31.74"),
    ("BUMN-PUPUK", "PT Pupuk Tani Raya (Persero)", "pupuk", "32.73"),
    ("BUMN-KAI", "PT Kereta Api Nusantara (Persero)", "transportasi", "32.73"),
    ("BUMN-POS", "PT Pos Nusantara (Persero)", "logistik", "32.73"),
    ("BUMN-TELKO", "PT Telekomunikasi Negeri (Persero) Tbk", "telekomunikasi", "31.74"),
    ("BUMN-SEMEN", "PT Semen Nusantara (Persero) Tbk", "konstruksi", "35.78"),
    ("BUMN-PELABUHAN", "PT Pelabuhan Samudra (Persero)", "logistik", "35.78"),
    ("BUMN-ANGKASA", "PT Angkasa Pura Nusantara (Persero)", "transportasi", "51.71"),
    ("BUMN-PERKEBUNAN", "PT Perkebunan Negeri (Persero)", "perkebunan", "12.71"),
    ("BUMN-FARMASI", "PT Farmasi Nusantara (Persero) Tbk", "kesehatan", "32.73"),
)
_SCALE_WEIGHT = {"mikro": 1, "kecil": 2, "menengah": 5, "besar": 9}
_SCALE_ORDER_BASE = {
    "mikro": 4_000_000,
    "kecil": 12_000_000,
    "menengah": 45_000_000,
    "besar": 150_000_000,
}
_SEASON = {3: 1.3, 4: 1.25, 6: 1.1, 11: 1.2, 12: 1.6}
_COOPERATIVE_LABEL = {
    "konsumen": "Konsumen",
    "produsen": "Produsen",
    "serba_usaha": "Serba Usaha",
    "simpan_pinjam": "Simpan Pinjam",
    "pesantren": "Pondok Pesantren",
}


def umkm_id(nib: str) -> str:
    return f"UMKM-{nib}"


def product_id(sku: str) -> str:
    return f"PRD-{sku}"


def is_verified(umkm: Umkm) -> bool:
    """Whether the NIB was verified with OSS: about 85% are."""
    return random.Random(f"oss:{umkm.nib}").random() < 0.85


def make_seed(settings: PadiSettings) -> SeedFunction:
    """The seed function for these settings (run once, on first start)."""

    def seed(conn: Connection) -> None:
        universe = Universe(settings.seed)
        suppliers = universe.suppliers_for("padi", settings.suppliers)
        conn.execute(insert(tables.bumns), [_bumn(row) for row in BUMNS])
        conn.execute(insert(tables.umkms), [_umkm(u) for u in suppliers])
        insert_batched(conn, tables.products, _products(universe, suppliers, settings.products))
        conn.execute(
            tables.product_changes.insert().from_select(
                ["product_id", "kind"],
                tables.products.select()
                .with_only_columns(tables.products.c.id, literal("CHANGED"))
                .order_by(tables.products.c.id),
            )
        )
        conn.execute(insert(tables.cooperatives), list(_cooperatives(settings)))
        rows = _spend(settings.seed, suppliers, spend_months(settings.seeded_on))
        conn.execute(insert(tables.spend_records), list(rows))

    return seed


def _bumn(row: tuple[str, str, str, str]) -> dict[str, Any]:
    ident, name, sector, region = row
    return {"id": ident, "name": name, "sector": sector, "region_code": region}


def _umkm(umkm: Umkm) -> dict[str, Any]:
    return {
        "id": umkm_id(umkm.nib),
        "nib": umkm.nib,
        "name": umkm.name_in("padi"),
        "owner_name": umkm.owner,
        "kbli": umkm.kbli,
        "kbli_codes": list(umkm.kbli_codes),
        "scale": umkm.scale.upper(),
        "certifications": [
            {"type": c.kind.upper(), "number": c.number} for c in umkm.certifications
        ],
        "region_code": umkm.region_code,
        "verified": is_verified(umkm),
        "founded_year": umkm.founded_year,
    }


def _products(universe: Universe, suppliers: list[Umkm], count: int) -> Iterator[dict[str, Any]]:
    for p in universe.products_for("padi", suppliers, count):
        yield {
            "id": product_id(p.sku),
            "umkm_id": umkm_id(p.umkm.nib),
            "name": p.name,
            "category": p.category.slug,
            "kbli": p.category.kbli,
            "unit": p.unit,
            "price": p.price,
            "stock": p.stock,
            "min_order": p.min_order,
            "description": p.description,
            "region_code": p.umkm.region_code,
            "deleted": False,
        }


def _cooperatives(settings: PadiSettings) -> Iterator[dict[str, Any]]:
    faker = Faker("id_ID")
    faker.seed_instance(settings.seed)
    rng = random.Random(f"koperasi:padi:{settings.seed}")
    for number in range(1, settings.cooperatives + 1):
        kind = rng.choice(COOPERATIVE_TYPES)
        region = rng.choice(REGIONS)
        place = region.name.removeprefix("Kota ").removeprefix("Kabupaten ")
        # Registered at least two years and joined at least a year before the seeding date.
        year = rng.randint(1995, settings.seeded_on.year - 2)
        yield {
            "id": f"KOP-{number:06d}",
            "name": f"Koperasi {_COOPERATIVE_LABEL[kind]} {faker.last_name()} {place}",
            "type": kind.upper(),
            "registration_number": f"AHU-{rng.randrange(10**7):07d}.AH.01.26.{year}",
            "region_code": region.code,
            "member_count": rng.randint(20, 5_000),
            "role": rng.choices(("BUYER", "SELLER", "BOTH"), weights=(5, 3, 2))[0],
            "joined_on": _joined_on(rng, year, settings.seeded_on),
        }


def _joined_on(rng: random.Random, registered: int, seeded_on: dt.date) -> str:
    joined = rng.randint(max(registered, seeded_on.year - 7), seeded_on.year - 1)
    return f"{joined}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def spend_months(seeded_on: dt.date) -> tuple[str, ...]:
    """The months PaDi's seeded spend covers: the three years up to ``seeded_on``'s month."""
    return months_up_to(seeded_on, SPEND_MONTH_COUNT)


def _spend(seed: int, suppliers: list[Umkm], months: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"spend:padi:{seed}")
    weights = [_SCALE_WEIGHT[u.scale] for u in suppliers]
    bumn_weight = {ident: rng.uniform(0.5, 2.5) for ident, *_ in BUMNS}
    for index, month in enumerate(months):
        age = len(months) - 1 - index  # months before the seeding month
        growth = _YEARLY_GROWTH ** -(age // 12)
        season = _SEASON.get(int(month[5:]), 1.0) * growth
        for ident, *_ in BUMNS:
            for umkm in rng.choices(suppliers, weights=weights, k=rng.randint(4, 12)):
                base = _SCALE_ORDER_BASE[umkm.scale] * bumn_weight[ident] * season
                amount = round(base * rng.lognormvariate(0, 0.6) / 1_000) * 1_000
                yield {
                    "bumn_id": ident,
                    "umkm_id": umkm_id(umkm.nib),
                    "region_code": umkm.region_code,
                    "scale": umkm.scale.upper(),
                    "month": month,
                    "amount": amount,
                    "order_count": rng.randint(1, 6),
                }
