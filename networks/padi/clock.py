"""Wall-clock timestamps as PaDi stores them: UTC ISO 8601, to the second."""

from __future__ import annotations

import datetime as dt


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
