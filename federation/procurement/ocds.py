"""An RFQ as an Open Contracting Data Standard 1.1 release package (JSON-ready dicts).

One contracting process per RFQ (``ocid`` = prefix + RFQ id): a ``tender`` release when
it was published, and, once awarded, an ``award``/``contract`` release with the winning
quote and the purchase order. Parties are the BUMN (buyer, procuring entity) and every
supplier that quoted (tenderer; the winner also supplier). Organisations are identified
by their PaDi BUMN id and their NIB (``ID-NIB``: OSS's business number). Items carry
their KBLI 2020 code as classification; money is IDR in whole rupiah.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from federation.procurement.model import Award, AwardStatus, Quote, Rfq, RfqStatus

OCDS_VERSION = "1.1"
DEFAULT_PREFIX = "ocds-kphub0"  # ocds- and six characters; register one for production
CURRENCY = "IDR"


@dataclass(frozen=True)
class Publisher:
    name: str = "Koperasi Hub"
    uri: str | None = None


def release_package(
    rfq: Rfq,
    quotes: Sequence[Quote],
    award: Award | None,
    *,
    uri: str,
    published: dt.datetime,
    publisher: Publisher | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> dict[str, Any]:
    """The RFQ's releases in a release package, as the buyer sees it.

    ``uri`` is where the package is published; ``published`` its timezone-aware date.
    """
    ocid = f"{prefix}-{rfq.id}"
    releases = [_tender_release(ocid, rfq, quotes)]
    winner = next((q for q in quotes if award is not None and q.id == award.quote_id), None)
    if award is not None and winner is not None:
        releases.append(_award_release(ocid, rfq, quotes, award, winner))
    who = publisher or Publisher()
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": _date(published.timestamp()),
        "publisher": {"name": who.name, **({"uri": who.uri} if who.uri else {})},
        "releases": releases,
    }


def _tender_release(ocid: str, rfq: Rfq, quotes: Sequence[Quote]) -> dict[str, Any]:
    return {
        "ocid": ocid,
        "id": f"{rfq.id}-tender",
        "date": _date(rfq.created_at),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "id",
        "parties": _parties(rfq, quotes, winner=None),
        "buyer": _buyer_ref(rfq),
        "tender": _tender(rfq, quotes),
    }


def _award_release(
    ocid: str, rfq: Rfq, quotes: Sequence[Quote], award: Award, winner: Quote
) -> dict[str, Any]:
    supplier = {"id": _supplier_id(winner.nib), "name": winner.supplier_name}
    items = [_item(rfq, line.position, line.quantity, line.unit_price) for line in winner.lines]
    value = {"amount": award.total, "currency": CURRENCY}
    issued = award.status is AwardStatus.ISSUED
    orders = [award.order_id] if award.order_id else [o.order_id for o in award.native_orders]
    contract: dict[str, Any] = {
        "id": f"{award.id}-po",
        "awardID": award.id,
        "title": f"Purchase order for {rfq.title}",
        "status": "active" if issued else "pending",
        "value": value,
        "items": items,
    }
    if issued:
        contract["dateSigned"] = _date(award.created_at)
    if orders:
        contract["description"] = (
            f"Purchase order(s) {', '.join(orders)} on {winner.network}, "
            f"delivery within {winner.delivery_days} days"
        )
    return {
        "ocid": ocid,
        "id": f"{rfq.id}-award",
        "date": _date(award.created_at),
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "id",
        "parties": _parties(rfq, quotes, winner=winner),
        "buyer": _buyer_ref(rfq),
        "tender": _tender(rfq, quotes),
        "awards": [
            {
                "id": award.id,
                "title": rfq.title,
                "status": "unsuccessful" if award.status is AwardStatus.FAILED else "active",
                "date": _date(award.created_at),
                "value": value,
                "suppliers": [supplier],
                "items": items,
            }
        ],
        "contracts": [] if award.status is AwardStatus.FAILED else [contract],
    }


def _tender(rfq: Rfq, quotes: Sequence[Quote]) -> dict[str, Any]:
    return {
        "id": rfq.id,
        "title": rfq.title,
        "description": rfq.description or rfq.title,
        "status": "complete" if rfq.status is RfqStatus.AWARDED else "active",
        "procuringEntity": _buyer_ref(rfq),
        "items": [_item(rfq, item.position, item.quantity, None) for item in rfq.items],
        "procurementMethod": "selective",
        "procurementMethodDetails": "Request for quotation to invited UMKM suppliers"
        + (" (usaha mikro dan kecil only)" if rfq.prefer_small else ""),
        "mainProcurementCategory": "goods",
        "tenderPeriod": {"startDate": _date(rfq.created_at), "endDate": _date(rfq.deadline)},
        "numberOfTenderers": len(quotes),
        "tenderers": [{"id": _supplier_id(q.nib), "name": q.supplier_name} for q in quotes],
    }


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


def _parties(rfq: Rfq, quotes: Sequence[Quote], winner: Quote | None) -> list[dict[str, Any]]:
    parties: list[dict[str, Any]] = [
        {
            "id": _buyer_id(rfq.buyer_id),
            "name": rfq.buyer_name,
            "identifier": {"scheme": "ID-BUMN", "id": rfq.buyer_id, "legalName": rfq.buyer_name},
            "roles": ["buyer", "procuringEntity"],
        }
    ]
    for quote in quotes:
        roles = ["tenderer"] + (["supplier"] if winner and winner.id == quote.id else [])
        parties.append(
            {
                "id": _supplier_id(quote.nib),
                "name": quote.supplier_name,
                "identifier": {"scheme": "ID-NIB", "id": quote.nib},
                "roles": roles,
                "details": {"scale": quote.scale.value},
            }
        )
    return parties


def _buyer_ref(rfq: Rfq) -> dict[str, str]:
    return {"id": _buyer_id(rfq.buyer_id), "name": rfq.buyer_name}


def _buyer_id(bumn_id: str) -> str:
    return f"ID-BUMN-{bumn_id}"


def _supplier_id(nib: str) -> str:
    return f"ID-NIB-{nib}"


def _date(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(int(timestamp), dt.UTC).isoformat().replace("+00:00", "Z")
