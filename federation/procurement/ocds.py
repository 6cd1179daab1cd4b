"""An RFQ's contracting process as Open Contracting Data Standard 1.1 releases and records.

One contracting process per RFQ (``ocid`` = prefix + RFQ id). Each stage is its own
release, with its own ``id`` and the stage's own ``date``, and is derived only from facts
fixed at that stage, so a release once published never changes (OCDS consumers take a
release id they have seen as final):

============================  ==========================  ================================
release ``id``                tag                         when (``date``)
============================  ==========================  ================================
``<rfq>-tender``              tender                      the RFQ was published
``<rfq>-award-<award>``       tenderUpdate, award         the BUMN awarded it (the tender
                                                          closes: its tenderers, complete)
``<rfq>-unsuccessful-<a>``    awardUpdate                 the winner's network refused the
                                                          purchase order (FAILED)
``<rfq>-contract-<award>``    contract                    the purchase order was confirmed
                                                          (PaDi's: made with the award)
``<rfq>-shipped-<award>``     implementation              every network shipped it
``<rfq>-delivered-<award>``   implementation,             delivered: the contract closes
                              contractTermination
``<rfq>-cancelled-<award>``   contractTermination         cancelled after confirmation
============================  ==========================  ================================

The hub order's stages are its first event of that kind (events are only ever appended),
dated no earlier than the award. A record compiles the releases in date order with the
official merge library (``ocdsmerge``) under OCDS 1.1.5's merge rules.

Parties are the BUMN (buyer, procuring entity) and every supplier that quoted (tenderer;
the winner also supplier), identified by their PaDi BUMN id and their NIB (``ID-NIB``:
OSS's business number). Items carry their KBLI 2020 code as classification; money is IDR
in whole rupiah.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ocdsmerge  # type: ignore[import-untyped]

from federation.orders.model import Order, OrderEvent
from federation.procurement.model import Award, AwardStatus, Quote, Rfq

OCDS_VERSION = "1.1"
DEFAULT_PREFIX = "ocds-kphub0"  # ocds- and six characters; register one for production
CURRENCY = "IDR"
DAY = 86_400

Release = dict[str, Any]

# OCDS 1.1.5's merge rules, as ``ocdsmerge.get_merge_rules`` reads them from the release
# schema (a test checks they still are): written out so compiling needs no schema download.
MERGE_RULES: dict[tuple[str, ...], str] = {
    ("awards", "amendment", "changes"): "wholeListMerge",
    ("awards", "amendments", "changes"): "wholeListMerge",
    ("awards", "items", "additionalClassifications"): "wholeListMerge",
    ("awards", "suppliers", "additionalIdentifiers"): "wholeListMerge",
    ("buyer", "additionalIdentifiers"): "wholeListMerge",
    ("contracts", "amendment", "changes"): "wholeListMerge",
    ("contracts", "amendments", "changes"): "wholeListMerge",
    (
        "contracts",
        "implementation",
        "transactions",
        "payee",
        "additionalIdentifiers",
    ): "wholeListMerge",
    (
        "contracts",
        "implementation",
        "transactions",
        "payer",
        "additionalIdentifiers",
    ): "wholeListMerge",
    ("contracts", "items", "additionalClassifications"): "wholeListMerge",
    ("contracts", "relatedProcesses", "relationship"): "wholeListMerge",
    ("date",): "omitWhenMerged",
    ("id",): "omitWhenMerged",
    ("parties", "additionalIdentifiers"): "wholeListMerge",
    ("parties", "roles"): "wholeListMerge",
    ("relatedProcesses", "relationship"): "wholeListMerge",
    ("tag",): "omitWhenMerged",
    ("tender", "additionalProcurementCategories"): "wholeListMerge",
    ("tender", "amendment", "changes"): "wholeListMerge",
    ("tender", "amendments", "changes"): "wholeListMerge",
    ("tender", "items", "additionalClassifications"): "wholeListMerge",
    ("tender", "procuringEntity", "additionalIdentifiers"): "wholeListMerge",
    ("tender", "submissionMethod"): "wholeListMerge",
    ("tender", "tenderers", "additionalIdentifiers"): "wholeListMerge",
}


@dataclass(frozen=True)
class Publisher:
    name: str = "Koperasi Hub"
    uri: str | None = None


@dataclass(frozen=True)
class Process:
    """What the hub knows of one RFQ's contracting process, as its buyer sees it."""

    rfq: Rfq
    quotes: tuple[Quote, ...]
    award: Award | None
    order: Order | None  # the award's hub order (the saga's), with its events


@dataclass(frozen=True)
class Published:
    """One release with its date (POSIX seconds) and its place among same-second stages."""

    at: int
    rank: int
    release: Release

    @property
    def key(self) -> tuple[int, str, int]:
        """Where it sorts among every process's releases: date, process, stage."""
        return (self.at, str(self.release["ocid"]), self.rank)


def ocid_of(rfq: Rfq, prefix: str = DEFAULT_PREFIX) -> str:
    """The contracting process's OCDS id."""
    return f"{prefix}-{rfq.id}"


def releases(process: Process, prefix: str = DEFAULT_PREFIX) -> list[Published]:
    """Every release of the process so far, oldest first."""
    rfq, award = process.rfq, process.award
    ocid = ocid_of(rfq, prefix)
    found = [Published(int(rfq.created_at), 0, _tender_release(ocid, rfq))]
    winner = next((q for q in process.quotes if award and q.id == award.quote_id), None)
    if award is None or winner is None:
        return found
    awarded = int(award.created_at)
    # Quotes end when the award is written; one racing past it is not part of the award.
    quotes = [q for q in process.quotes if q.created_at <= award.created_at]
    found.append(Published(awarded, 1, _award_release(ocid, rfq, quotes, award, winner, awarded)))
    order = process.order
    failed = _first(order, "FAILED", awarded)
    if failed is not None:
        found.append(Published(failed, 2, _unsuccessful_release(ocid, rfq, award, failed)))
    signed = _signed(order, award, awarded)
    if signed is not None:
        contract = _contract_release(ocid, rfq, award, winner, order, signed)
        found.append(Published(signed, 3, contract))
        shipped = _first(order, "SHIPPED", signed)
        delivered = _first(order, "DELIVERED", signed)
        cancelled = _first(order, "CANCELLED", signed)
        if shipped is not None:
            found.append(Published(shipped, 4, _shipped_release(ocid, rfq, award, shipped)))
        if delivered is not None:
            release = _delivered_release(ocid, rfq, award, winner, delivered)
            found.append(Published(delivered, 5, release))
        if cancelled is not None:
            found.append(Published(cancelled, 6, _cancelled_release(ocid, rfq, award, cancelled)))
    return sorted(found, key=lambda p: (p.at, p.rank))


def release_package(
    published: Sequence[Published],
    *,
    uri: str,
    publisher: Publisher | None = None,
    links: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """``published`` in a release package at ``uri``. Its ``publishedDate`` is its newest
    release's date (the package is made on demand: that is when its content last changed),
    ``now`` for an empty one; ``links`` (``next``) pages a bulk answer."""
    package = _package_head(published, uri, publisher, now)
    package["releases"] = [p.release for p in published]
    if links:
        package["links"] = links
    return package


def record_package(
    published: Sequence[Published],
    *,
    uri: str,
    releases_uri: str,
    publisher: Publisher | None = None,
) -> dict[str, Any]:
    """One process's record in a record package: every release (embedded, oldest first)
    and the compiled release, merged by OCDS's rules. ``releases_uri`` is the release
    package it was made from."""
    if not published:
        raise ValueError("a record needs at least one release")
    package = _package_head(published, uri, publisher, None)
    package["packages"] = [releases_uri]
    package["records"] = [
        {
            "ocid": published[0].release["ocid"],
            "releases": [p.release for p in published],
            "compiledRelease": compile_releases(published),
        }
    ]
    return package


def compile_releases(published: Sequence[Published]) -> Release:
    """The compiled release: the releases merged in date order (same-second stages in
    their order), by ``ocdsmerge``, the standard's reference implementation."""
    merger = ocdsmerge.Merger(merge_rules=MERGE_RULES)
    ordered = [p.release for p in sorted(published, key=lambda p: (p.at, p.rank))]
    compiled: Release = merger.create_compiled_release(ordered)
    return compiled


def date(timestamp: float) -> str:
    """OCDS's date-time for POSIX seconds: UTC, whole seconds."""
    return dt.datetime.fromtimestamp(int(timestamp), dt.UTC).isoformat().replace("+00:00", "Z")


# ---- stages ----------------------------------------------------------------------------


def _first(order: Order | None, kind: str, floor: int) -> int | None:
    """When the order first reached ``kind``: never before ``floor`` (the stage it follows,
    so replicas' clocks cannot put a purchase order before its award)."""
    if order is None:
        return None
    event: OrderEvent | None = next((e for e in order.events if e.kind == kind), None)
    return None if event is None else max(int(event.created_at), floor)


def _signed(order: Order | None, award: Award, awarded: int) -> int | None:
    """When the purchase order was made: the saga's CONFIRMED, or PaDi's ``awardRfq``,
    which runs within the award (the hub keeps no other time for it)."""
    if award.order_id is not None:
        return _first(order, "CONFIRMED", awarded)
    if award.status is AwardStatus.ISSUED and award.native_orders:
        return awarded
    return None


def _head(ocid: str, rfq: Rfq, stage: str, award: Award | None, at: int, tag: list[str]) -> Release:
    suffix = f"-{award.id}" if award is not None else ""
    return {
        "ocid": ocid,
        "id": f"{rfq.id}-{stage}{suffix}",
        "date": date(at),
        "tag": tag,
        "initiationType": "tender",
        "language": "id",
    }


def _tender_release(ocid: str, rfq: Rfq) -> Release:
    """What the tender was when published: no tenderers yet, open for quotes."""
    at = int(rfq.created_at)
    return {
        **_head(ocid, rfq, "tender", None, at, ["tender"]),
        "parties": [_buyer_party(rfq)],
        "buyer": _buyer_ref(rfq),
        "tender": {
            "id": rfq.id,
            "title": rfq.title,
            "description": rfq.description or rfq.title,
            "status": "active",
            "procuringEntity": _buyer_ref(rfq),
            "items": [_item(rfq, item.position, item.quantity, None) for item in rfq.items],
            "procurementMethod": "selective",
            "procurementMethodDetails": "Request for quotation to invited UMKM suppliers"
            + (" (usaha mikro dan kecil only)" if rfq.prefer_small else ""),
            "mainProcurementCategory": "goods",
            "tenderPeriod": {"startDate": date(rfq.created_at), "endDate": date(rfq.deadline)},
        },
    }


def _award_release(
    ocid: str, rfq: Rfq, quotes: Sequence[Quote], award: Award, winner: Quote, at: int
) -> Release:
    """The award as decided, and the tender as it closed (its tenderers)."""
    return {
        **_head(ocid, rfq, "award", award, at, ["tenderUpdate", "award"]),
        "parties": [_supplier_party(q, won=q.id == winner.id) for q in quotes],
        "tender": {
            "id": rfq.id,
            "status": "complete",
            "numberOfTenderers": len(quotes),
            "tenderers": [{"id": _supplier_id(q.nib), "name": q.supplier_name} for q in quotes],
        },
        "awards": [
            {
                "id": award.id,
                "title": rfq.title,
                "status": "active",
                "date": date(at),
                "value": {"amount": award.total, "currency": CURRENCY},
                "suppliers": [{"id": _supplier_id(winner.nib), "name": winner.supplier_name}],
                "items": _winning_items(rfq, winner),
            }
        ],
    }


def _unsuccessful_release(ocid: str, rfq: Rfq, award: Award, at: int) -> Release:
    return {
        **_head(ocid, rfq, "unsuccessful", award, at, ["awardUpdate"]),
        "awards": [
            {
                "id": award.id,
                "status": "unsuccessful",
                "description": "The winner's network refused the purchase order",
            }
        ],
    }


def _contract_release(
    ocid: str, rfq: Rfq, award: Award, winner: Quote, order: Order | None, at: int
) -> Release:
    orders = [order.id] if order is not None else [o.order_id for o in award.native_orders]
    return {
        **_head(ocid, rfq, "contract", award, at, ["contract"]),
        "contracts": [
            {
                "id": _contract_id(award),
                "awardID": award.id,
                "title": f"Purchase order for {rfq.title}",
                "description": f"Purchase order(s) {', '.join(orders)} on {winner.network}, "
                f"delivery within {winner.delivery_days} days",
                "status": "active",
                "dateSigned": date(at),
                "value": {"amount": award.total, "currency": CURRENCY},
                "items": _winning_items(rfq, winner),
                "implementation": {
                    "milestones": [
                        _delivery(status="scheduled", due=at + winner.delivery_days * DAY)
                    ]
                },
            }
        ],
    }


def _shipped_release(ocid: str, rfq: Rfq, award: Award, at: int) -> Release:
    milestone = {
        "id": "dispatch",
        "title": "Goods dispatched",
        "type": "delivery",
        "status": "met",
        "dateMet": date(at),
    }
    return {
        **_head(ocid, rfq, "shipped", award, at, ["implementation"]),
        "contracts": [
            {
                "id": _contract_id(award),
                "awardID": award.id,
                "implementation": {"milestones": [milestone]},
            }
        ],
    }


def _delivered_release(ocid: str, rfq: Rfq, award: Award, winner: Quote, at: int) -> Release:
    delivery = _delivery(status="met", due=None) | {"dateMet": date(at)}
    return {
        **_head(ocid, rfq, "delivered", award, at, ["implementation", "contractTermination"]),
        "contracts": [
            {
                "id": _contract_id(award),
                "awardID": award.id,
                "status": "terminated",
                "description": f"Delivered by {winner.supplier_name}",
                "implementation": {"milestones": [delivery]},
            }
        ],
    }


def _cancelled_release(ocid: str, rfq: Rfq, award: Award, at: int) -> Release:
    return {
        **_head(ocid, rfq, "cancelled", award, at, ["contractTermination"]),
        "contracts": [
            {
                "id": _contract_id(award),
                "awardID": award.id,
                "status": "terminated",
                "description": "Purchase order cancelled at every network after confirmation",
            }
        ],
    }


def _delivery(*, status: str, due: int | None) -> dict[str, Any]:
    milestone: dict[str, Any] = {
        "id": "delivery",
        "title": "Goods delivered",
        "type": "delivery",
        "status": status,
    }
    if due is not None:
        milestone["dueDate"] = date(due)
    return milestone


def _contract_id(award: Award) -> str:
    return f"{award.id}-po"


def _winning_items(rfq: Rfq, winner: Quote) -> list[dict[str, Any]]:
    return [_item(rfq, line.position, line.quantity, line.unit_price) for line in winner.lines]


def _item(rfq: Rfq, position: int, quantity: int, unit_price: int | None) -> dict[str, Any]:
    item = rfq.items[position]
    unit: dict[str, Any] = {"name": item.unit}
    if unit_price is not None:
        unit["value"] = {"amount": unit_price, "currency": CURRENCY}
    return {
        "id": str(position + 1),
        "description": item.description,
        "classification": {
            "scheme": "KBLI",
            "id": item.kbli,
            "description": "Klasifikasi Baku Lapangan Usaha Indonesia 2020",
        },
        "quantity": quantity,
        "unit": unit,
    }


def _buyer_party(rfq: Rfq) -> dict[str, Any]:
    return {
        "id": _buyer_id(rfq.buyer_id),
        "name": rfq.buyer_name,
        "identifier": {"scheme": "ID-BUMN", "id": rfq.buyer_id, "legalName": rfq.buyer_name},
        "roles": ["buyer", "procuringEntity"],
    }


def _supplier_party(quote: Quote, *, won: bool) -> dict[str, Any]:
    return {
        "id": _supplier_id(quote.nib),
        "name": quote.supplier_name,
        "identifier": {"scheme": "ID-NIB", "id": quote.nib},
        "roles": ["tenderer", "supplier"] if won else ["tenderer"],
        "details": {"scale": quote.scale.value},
    }


def _buyer_ref(rfq: Rfq) -> dict[str, str]:
    return {"id": _buyer_id(rfq.buyer_id), "name": rfq.buyer_name}


def _buyer_id(bumn_id: str) -> str:
    return f"ID-BUMN-{bumn_id}"


def _supplier_id(nib: str) -> str:
    return f"ID-NIB-{nib}"


def _package_head(
    published: Sequence[Published], uri: str, publisher: Publisher | None, now: dt.datetime | None
) -> dict[str, Any]:
    who = publisher or Publisher()
    newest = max((p.at for p in published), default=None)
    when = date(newest) if newest is not None else date((now or _utcnow()).timestamp())
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": when,
        "publisher": {"name": who.name, **({"uri": who.uri} if who.uri else {})},
    }


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
