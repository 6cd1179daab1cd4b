"""Public ids of records PaDi numbers itself: ``PO-000042``, ``RFQ-000007``, ``QUO-000003``."""

from __future__ import annotations

ORDER = "PO"
RFQ = "RFQ"
QUOTATION = "QUO"


def format_id(prefix: str, number: int) -> str:
    return f"{prefix}-{number:06d}"


def parse_id(prefix: str, public_id: str) -> int | None:
    """The number behind ``public_id``, or None when it is not one of ``prefix``'s."""
    head, _, digits = public_id.partition("-")
    if head != prefix or not digits.isdigit() or len(digits) > 12:
        return None
    return int(digits)
