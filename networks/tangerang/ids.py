"""Public identifiers: a type prefix and the row number (``itm_000042``)."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    COOPERATIVE = "coop_"
    MERCHANT = "mrc_"
    ITEM = "itm_"
    MEMBER = "mbr_"
    BILL = "bill_"
    ORDER = "ord_"
    TRANSACTION = "txn_"


def format_id(kind: Kind, number: int) -> str:
    """The public id of row ``number`` of ``kind``."""
    return f"{kind.value}{number:06d}"


def parse_id(kind: Kind, value: str) -> int | None:
    """The row number behind a public id, or None when it is not an id of ``kind``."""
    if not value.startswith(kind.value):
        return None
    digits = value[len(kind.value) :]
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    number = int(digits)
    return number if number > 0 else None
