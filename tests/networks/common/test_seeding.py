"""Seeded history is relative to the seeding date: it ends in that month, whatever the year.

Each network is seeded with a pinned ``seeded_on`` (far from today on purpose), so nothing
here depends on the wall clock.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from networks.common.clock import SEED_DATE_ENV, month_start, months_up_to, seed_date
from networks.common.settings import NetworkSettings
from networks.padi.app import create_app as create_padi
from networks.padi.settings import PadiSettings
from networks.sejuk.app import create_app as create_sejuk
from networks.sejuk.settings import SejukSettings
from networks.tangerang.app import create_app as create_tangerang
from networks.tangerang.settings import TangerangSettings
from networks.testing import in_process

SEEDED_ON = dt.date(2031, 3, 15)


def rows(path: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query).fetchall()


async def seeded(settings: NetworkSettings) -> Path:
    """Start the network once (which seeds it) and return its database file."""
    create = {"padi": create_padi, "sejuk": create_sejuk, "tangerang": create_tangerang}
    async with in_process(create[settings.code](settings)):  # type: ignore[operator]
        pass
    return settings.database


def test_months_count_back_from_the_seeding_month() -> None:
    assert months_up_to(dt.date(2026, 2, 10), 3) == ("2025-12", "2026-01", "2026-02")
    assert months_up_to(dt.date(2026, 12, 31), 1) == ("2026-12",)
    assert month_start(dt.date(2026, 1, 20), 13) == dt.date(2024, 12, 1)


def test_the_seeding_date_can_be_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SEED_DATE_ENV, "2029-07-04")
    assert seed_date() == dt.date(2029, 7, 4)
    assert PadiSettings().seeded_on == dt.date(2029, 7, 4)


async def test_padi_spend_runs_three_years_up_to_the_seeding_month(tmp_path: Path) -> None:
    database = await seeded(PadiSettings(data_dir=tmp_path, products=120, seeded_on=SEEDED_ON))
    months = [m for (m,) in rows(database, "SELECT DISTINCT month FROM spend_records ORDER BY 1")]
    assert months[0] == "2028-04"
    assert months[-1] == "2031-03"
    assert len(months) == 36
    # The latest twelve months are the biggest: spend grows year on year.
    totals = dict(rows(database, "SELECT month, SUM(amount) FROM spend_records GROUP BY month"))
    years = [sum(int(str(totals[m])) for m in months[i : i + 12]) for i in (0, 12, 24)]
    assert years[0] < years[2]
    assert years[1] < years[2]
    joined = [j for (j,) in rows(database, "SELECT joined_on FROM cooperatives")]
    assert all(str(j) < SEEDED_ON.isoformat() for j in joined)


async def test_padi_spend_is_the_same_for_the_same_seed_and_date(tmp_path: Path) -> None:
    query = "SELECT * FROM spend_records ORDER BY id"
    one = await seeded(PadiSettings(data_dir=tmp_path / "a", products=120, seeded_on=SEEDED_ON))
    two = await seeded(PadiSettings(data_dir=tmp_path / "b", products=120, seeded_on=SEEDED_ON))
    later = SEEDED_ON.replace(year=2032)
    three = await seeded(PadiSettings(data_dir=tmp_path / "c", products=120, seeded_on=later))
    assert rows(one, query) == rows(two, query)
    # A year later: the same figures, a year on.
    shifted = rows(three, "SELECT month, amount FROM spend_records ORDER BY id")
    assert [(m, a) for _, _, _, _, _, m, a, _ in rows(one, query)] == [
        (f"{int(str(m)[:4]) - 1}{str(m)[4:]}", a) for m, a in shifted
    ]


async def test_a_new_month_reseeds_and_the_same_month_keeps_the_data(tmp_path: Path) -> None:
    query = "SELECT MAX(month) FROM spend_records"
    base = {"data_dir": tmp_path, "products": 120}
    database = await seeded(PadiSettings(**base, seeded_on=SEEDED_ON))  # type: ignore[arg-type]
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE spend_records SET amount = 1 WHERE id = 1")
    await seeded(PadiSettings(**base, seeded_on=SEEDED_ON.replace(day=28)))  # type: ignore[arg-type]
    assert rows(database, "SELECT amount FROM spend_records WHERE id = 1") == [(1,)]
    await seeded(PadiSettings(**base, seeded_on=dt.date(2031, 4, 1)))  # type: ignore[arg-type]
    assert rows(database, query) == [("2031-04",)]
    assert rows(database, "SELECT amount FROM spend_records WHERE id = 1") != [(1,)]


async def test_sejuk_stamps_and_partnerships_end_at_the_seeding_date(tmp_path: Path) -> None:
    database = await seeded(SejukSettings(data_dir=tmp_path, products=120, seeded_on=SEEDED_ON))
    stamps = [
        dt.datetime.fromisoformat(str(s))
        for (s,) in rows(database, "SELECT diperbarui_pada FROM produk")
    ]
    seeded_at = dt.datetime(2031, 3, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert max(stamps) <= seeded_at
    assert min(stamps) > seeded_at - dt.timedelta(days=31)
    partnerships = rows(database, "SELECT berlaku_mulai, berlaku_sampai FROM kemitraan")
    assert partnerships
    # Every MoU was signed before the seeding date and still runs on it.
    today = SEEDED_ON.isoformat()
    assert all(str(start) <= today < str(end) for start, end in partnerships)


async def test_tangerang_bills_are_the_seeding_months(tmp_path: Path) -> None:
    settings = TangerangSettings(data_dir=tmp_path, products=120, seeded_on=SEEDED_ON)
    database = await seeded(settings)
    assert rows(database, "SELECT DISTINCT period FROM bills") == [("2031-03",)]
    assert rows(database, "SELECT DISTINCT updated_at FROM items") == [("2031-03-01T00:00:00Z",)]
    joined = [j for (j,) in rows(database, "SELECT joined_on FROM members")]
    assert all(str(j) < "2031" for j in joined)
