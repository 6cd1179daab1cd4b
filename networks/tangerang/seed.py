"""Deterministic seed data: cooperatives, members and bills, UMKM merchants, items."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from faker import Faker
from sqlalchemy import Connection

from networks.common.catalog import COOPERATIVE_TYPES, HOME_REGIONS
from networks.common.clock import month_key
from networks.common.db import SeedFunction, insert_batched
from networks.common.universe import ProductSeed, Umkm, Universe
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.tables import (
    bills,
    cooperatives,
    item_changes,
    items,
    members,
    merchants,
    transactions,
)

UNKNOWN_STOCK_SHARE = 0.15

_TYPE_LABELS = {
    "konsumen": "Koperasi Konsumen",
    "produsen": "Koperasi Produsen",
    "serba_usaha": "Koperasi Serba Usaha",
    "simpan_pinjam": "Koperasi Simpan Pinjam",
    "pesantren": "Kopontren",
}
_NAME_WORDS = ("Sejahtera", "Mandiri", "Bersama", "Makmur", "Amanah", "Berkah", "Sentosa")
_PESANTREN_WORDS = ("Al-Hikmah", "Al-Ikhlas", "Darul Ulum", "Nurul Huda", "Al-Falah")
# kind, description, low, high, step (integer rupiah)
_BILL_KINDS: tuple[tuple[str, str, int, int, int], ...] = (
    ("simpanan_wajib", "Simpanan wajib", 50_000, 100_000, 5_000),
    ("iuran", "Iuran anggota", 10_000, 25_000, 1_000),
    ("listrik", "Tagihan listrik PLN", 95_000, 650_000, 100),
    ("pdam", "Tagihan air PDAM Tirta Benteng", 45_000, 260_000, 100),
    ("angsuran_pinjaman", "Angsuran pinjaman", 300_000, 2_000_000, 10_000),
)


def make_seed(settings: TangerangSettings) -> SeedFunction:
    """The seed function for ``settings``: same settings, same database content."""

    seeded_at = seeded_at_of(settings.seeded_on)

    def seed(conn: Connection) -> None:
        universe = Universe(settings.seed)
        suppliers = universe.suppliers_for(settings.code, settings.suppliers)
        insert_batched(conn, merchants, (_merchant_row(n, u) for n, u in enumerate(suppliers, 1)))
        merchant_ids = {u.nib: n for n, u in enumerate(suppliers, 1)}
        products = universe.products_for(settings.code, suppliers, settings.products)
        rows = (
            _item_row(n, p, merchant_ids[p.umkm.nib], settings.seed, seeded_at)
            for n, p in enumerate(products, 1)
        )
        count = insert_batched(conn, items, rows)
        insert_batched(
            conn,
            item_changes,
            (
                {"version": n, "item_id": n, "type": "upsert", "changed_at": seeded_at}
                for n in range(1, count + 1)
            ),
        )
        _seed_cooperatives(conn, settings, seeded_at)

    return seed


def seeded_at_of(seeded_on: dt.date) -> str:
    """The stamp of seeded items and bill payments: the seeding month's first moment (UTC)."""
    return f"{month_key(seeded_on)}-01T00:00:00Z"


def _merchant_row(number: int, umkm: Umkm) -> dict[str, Any]:
    return {
        "id": number,
        "nib": umkm.nib,
        "name": umkm.name_in("tangerang"),
        "legal_form": umkm.legal_form,
        "owner_name": umkm.owner,
        "phone": umkm.phone,
        "address": umkm.address,
        "region_code": umkm.region_code,
        "kbli": umkm.kbli,
        "kbli_set": "," + ",".join(umkm.kbli_codes) + ",",
        "categories": list(umkm.category_slugs),
        "scale": umkm.scale,
        "certification_set": "," + ",".join(c.kind for c in umkm.certifications) + ",",
        "certifications": [{"type": c.kind, "number": c.number} for c in umkm.certifications],
        "founded_year": umkm.founded_year,
    }


def _item_row(
    number: int, product: ProductSeed, merchant_id: int, seed: int, seeded_at: str
) -> dict[str, Any]:
    known = random.Random(f"tangerang-stock:{seed}:{product.sku}").random() >= UNKNOWN_STOCK_SHARE
    return {
        "id": number,
        "sku": product.sku,
        "merchant_id": merchant_id,
        "name": product.name,
        "description": product.description,
        "category": product.category.slug,
        "unit": product.unit,
        "price": product.price,
        "stock": product.stock if known else None,
        "min_order": product.min_order,
        "region_code": product.umkm.region_code,
        "deleted": False,
        "updated_at": seeded_at,
    }


def _seed_cooperatives(conn: Connection, settings: TangerangSettings, seeded_at: str) -> None:
    # Bills are the seeding month's: due in it, a quarter already paid at its start.
    period = month_key(settings.seeded_on)
    last_year = settings.seeded_on.year - 1
    faker = Faker("id_ID")
    faker.seed_instance(settings.seed)
    rng = random.Random(f"tangerang-cooperatives:{settings.seed}")
    coop_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    bill_rows: list[dict[str, Any]] = []
    txn_rows: list[dict[str, Any]] = []
    for number in range(1, settings.cooperatives + 1):
        kind = COOPERATIVE_TYPES[(number - 1) % len(COOPERATIVE_TYPES)]
        words = _PESANTREN_WORDS if kind == "pesantren" else _NAME_WORDS
        member_count = rng.randint(3, 8)
        coop_rows.append(
            {
                "id": number,
                "name": f"{_TYPE_LABELS[kind]} {rng.choice(words)} {faker.last_name()}",
                "type": kind,
                "registration_number": f"{rng.randrange(10**4):04d}/BH/XI.{rng.randint(1, 30)}/{rng.randint(1995, 2024)}",
                "region_code": rng.choice(HOME_REGIONS["tangerang"]),
                "address": faker.street_address(),
                "chairperson": faker.name(),
                "phone": faker.phone_number(),
                "founded_year": rng.randint(1980, 2024),
                "member_count": member_count,
            }
        )
        for position in range(1, member_count + 1):
            member_id = len(member_rows) + 1
            member_rows.append(
                {
                    "id": member_id,
                    "cooperative_id": number,
                    "member_number": f"{number:04d}-{position:04d}",
                    "name": faker.name(),
                    "phone": faker.phone_number(),
                    "address": faker.street_address(),
                    "joined_on": f"{rng.randint(2000, last_year)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                }
            )
            for kind_name, description, low, high, step in _BILL_KINDS:
                if kind_name == "angsuran_pinjaman" and rng.random() >= 0.4:
                    continue
                bill_id = len(bill_rows) + 1
                amount = rng.randrange(low, high + 1, step)
                paid = rng.random() < 0.25
                txn_id: int | None = None
                if paid:
                    txn_id = len(txn_rows) + 1
                    txn_rows.append(
                        {
                            "seq": txn_id,
                            "cooperative_id": number,
                            "member_id": member_id,
                            "order_id": None,
                            "bill_id": bill_id,
                            "client_id": None,
                            "type": "bill_payment",
                            "amount": amount,
                            "description": f"{description} {period}",
                            "occurred_at": seeded_at,
                        }
                    )
                bill_rows.append(
                    {
                        "id": bill_id,
                        "member_id": member_id,
                        "cooperative_id": number,
                        "kind": kind_name,
                        "description": f"{description} {period}",
                        "period": period,
                        "amount": amount,
                        "due_date": f"{period}-{rng.randint(10, 25):02d}",
                        "status": "paid" if paid else "unpaid",
                        "paid_at": seeded_at if paid else None,
                        "transaction_id": txn_id,
                    }
                )
    for table, rows in (
        (cooperatives, coop_rows),
        (members, member_rows),
        (bills, bill_rows),
        (transactions, txn_rows),
    ):
        insert_batched(conn, table, iter(rows))
