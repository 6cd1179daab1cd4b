"""Timestamps as SEJUK writes them: ISO 8601 in WIB (UTC+07:00)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def now() -> str:
    """The current time in WIB, to the second."""
    return datetime.now(WIB).replace(microsecond=0).isoformat()
