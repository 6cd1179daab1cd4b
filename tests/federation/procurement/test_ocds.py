"""The OCDS export validates against the official OCDS 1.1.5 release package schema.

The schemas in ``ocds_schema/`` are verbatim copies of the standard's files (see its
README for where they come from); ``jsonschema`` validates with draft 4, as they declare.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from federation.hub import Federation
from federation.procurement.model import Organisation
from federation.procurement.service import ProcurementService
from tests.federation.procurement.support import (
    KERIPIK,
    Clock,
    invited,
    listing_quote,
    local_supplier,
    priced_quote,
    rfq_draft,
    supplier,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCHEMAS = Path(__file__).parent / "ocds_schema"
BUYER = Organisation.bumn("BUMN-FARMASI")
URI = "https://hub.example/ocds/rfq.json"
TAGS = (
    "['planning', 'planningUpdate', 'tender', 'tenderAmendment', 'tenderUpdate', "
    "'tenderCancellation', 'award', 'awardUpdate', 'awardCancellation', 'contract', "
    "'contractUpdate', 'contractAmendment', 'implementation', 'implementationUpdate', "
    "'contractTermination', 'compiled']"
)


def validator() -> jsonschema.Draft4Validator:
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    registry: Registry[Any] = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return jsonschema.Draft4Validator(
        package, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def errors(package: dict[str, Any]) -> list[str]:
    found = validator().iter_errors(json.loads(json.dumps(package)))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


async def test_the_schema_is_the_official_one() -> None:
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    assert package["id"].endswith("/schema/1__1__5/release-package-schema.json")
    assert errors({"uri": URI}) != []  # it refuses what lacks required fields
    bad_tag = {
        "uri": URI,
        "version": "1.1",
        "publishedDate": "2025-01-01T00:00:00Z",
        "publisher": {"name": "Koperasi Hub"},
        "releases": [
            {
                "ocid": "ocds-kphub0-1",
                "id": "1",
                "date": "2025-01-01T00:00:00Z",
                "tag": ["quote"],
                "initiationType": "tender",
            }
        ],
    }
    assert errors(bad_tag) == ["releases/0/tag/0: 'quote' is not one of " + TAGS]


async def test_an_open_rfq_exports_as_a_valid_tender_release(
    procurement: ProcurementService, federation: Federation, clock: Clock
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    await procurement.submit_quote(supplier(local), await listing_quote(federation, rfq, local))

    package = await procurement.ocds_package(BUYER, rfq.id, uri=URI)

    assert errors(package) == []
    (release,) = package["releases"]
    assert release["tag"] == ["tender"]
    assert release["ocid"].endswith(rfq.id)
    assert release["tender"]["status"] == "active"
    assert release["tender"]["items"][0]["classification"] == {
        "scheme": "KBLI",
        "id": KERIPIK,
        "description": "Klasifikasi Baku Lapangan Usaha Indonesia 2020",
    }
    assert release["tender"]["numberOfTenderers"] == 1
    assert release["buyer"]["name"] == "PT Farmasi Nusantara (Persero) Tbk"


async def test_an_awarded_rfq_exports_award_and_contract(
    procurement: ProcurementService, federation: Federation, clock: Clock
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    winner = await procurement.submit_quote(
        supplier(local), await listing_quote(federation, rfq, local)
    )
    await procurement.submit_quote(
        supplier(invited(rfq, "padi")[0]), priced_quote(rfq, "padi", 99_000)
    )
    award = await procurement.award(BUYER, rfq.id, winner.id)

    package = await procurement.ocds_package(
        BUYER, rfq.id, uri=URI, published=dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    )

    assert errors(package) == []
    assert package["publishedDate"] == "2025-07-01T00:00:00Z"
    tender, awarded = package["releases"]
    assert awarded["tag"] == ["award", "contract"]
    assert {r["ocid"] for r in package["releases"]} == {tender["ocid"]}
    (ocds_award,) = awarded["awards"]
    assert ocds_award["value"] == {"amount": winner.total, "currency": "IDR"}
    assert ocds_award["suppliers"] == [{"id": f"ID-NIB-{winner.nib}", "name": winner.supplier_name}]
    (contract,) = awarded["contracts"]
    assert (contract["awardID"], contract["status"]) == (award.id, "active")
    roles = {p["id"]: p["roles"] for p in awarded["parties"]}
    assert roles[f"ID-NIB-{winner.nib}"] == ["tenderer", "supplier"]
    assert awarded["tender"]["status"] == "complete"
