"""What can be refused before anyone is asked: every check raises InputError, writes nothing."""

from __future__ import annotations

import re

from federation.errors import InputError
from federation.procurement.model import QuoteDraft, Rfq, RfqDraft

MAX_ITEMS = 20
MAX_QUANTITY = 10_000_000
MAX_UNIT_PRICE = 10_000_000_000
KBLI = re.compile(r"\d{5}")
REGION = re.compile(r"\d{2}\.\d{2}")
UNIT = re.compile(r"\S.{0,29}", re.DOTALL)
MAX_DEADLINE_DAYS = 366


def check_rfq(draft: RfqDraft, now: float) -> None:
    """An RFQ the board can take: items, codes, quantities, a deadline ahead."""
    if not 3 <= len(draft.title.strip()) <= 200:
        raise InputError("`title` must be 3-200 characters")
    if len(draft.description) > 2_000:
        raise InputError("`description` takes at most 2,000 characters")
    if not draft.items:
        raise InputError("an RFQ needs at least one item: say what you want to buy")
    if len(draft.items) > MAX_ITEMS:
        raise InputError(f"an RFQ takes at most {MAX_ITEMS} items: split it into several RFQs")
    for number, item in enumerate(draft.items, start=1):
        if not item.description.strip() or len(item.description) > 500:
            raise InputError(f"item {number}: `description` must be 1-500 characters")
        if not KBLI.fullmatch(item.kbli):
            raise InputError(
                f"item {number}: `kbli` must be a five-digit KBLI 2020 code, e.g. 10613"
            )
        if not 0 < item.quantity <= MAX_QUANTITY:
            raise InputError(f"item {number}: `quantity` must be 1-{MAX_QUANTITY:,}")
        if not UNIT.fullmatch(item.unit):
            raise InputError(f"item {number}: `unit` must be 1-30 characters, e.g. karung")
    if not REGION.fullmatch(draft.delivery_region_code):
        raise InputError("`deliveryRegionCode` must be a Kemendagri code like 32.73")
    if draft.deadline.tzinfo is None:
        raise InputError("`deadline` needs a time zone, e.g. 2025-07-01T17:00:00+07:00")
    deadline = draft.deadline.timestamp()
    if deadline <= now:
        raise InputError("`deadline` has already passed: give a time in the future")
    if deadline > now + MAX_DEADLINE_DAYS * 86_400:
        raise InputError(f"`deadline` must be within {MAX_DEADLINE_DAYS} days")


def check_quote(draft: QuoteDraft, rfq: Rfq, priced_by_supplier: bool) -> None:
    """A quote that answers every item of ``rfq`` once.

    ``priced_by_supplier``: the network takes the supplier's own price (PaDi), so each
    line needs ``unit_price``; otherwise each line names a product of the supplier.
    """
    if not 1 <= draft.delivery_days <= 365:
        raise InputError("`deliveryDays` must be 1-365")
    if len(draft.note) > 1_000:
        raise InputError("`note` takes at most 1,000 characters")
    positions = [line.position for line in draft.lines]
    wanted = [item.position for item in rfq.items]
    if sorted(positions) != wanted:
        raise InputError(
            f"a quote answers every item of the RFQ once: give one line for each of items "
            f"{', '.join(str(p + 1) for p in wanted)}"
        )
    for line in draft.lines:
        number = line.position + 1
        if line.unit_price is not None and not 0 < line.unit_price <= MAX_UNIT_PRICE:
            raise InputError(f"item {number}: `unitPrice` must be 1-{MAX_UNIT_PRICE:,} rupiah")
        if priced_by_supplier and line.unit_price is None:
            raise InputError(f"item {number}: on {draft.network} a quote states `unitPrice`")
        if not priced_by_supplier and not (line.product_id or "").strip():
            raise InputError(
                f"item {number}: on {draft.network} a quote names one of your products "
                "(`productId`), which the purchase order will be for"
            )
