"""The OCDS export: one release per stage, never changed once published, valid against the
official OCDS 1.1.5 release package and record package schemas.

The schemas in ``ocds_schema/`` are verbatim copies of the standard's files (see its
README for where they come from); ``jsonschema`` validates with draft 4, as they declare.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from ocdsmerge.rules import get_merge_rules  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from federation.hub import Federation
from federation.orders.service import OrderService
from federation.procurement import ocds, publication
from federation.procurement.model import Organisation, Rfq
from federation.procurement.service import ProcurementService
from tests.federation.procurement.support import (
    HOUR,
    KERIPIK,
    Clock,
    invited,
    listing_quote,
    local_supplier,
    priced_quote,
    rfq_draft,
    supplier,
)
from tests.support.live import LiveNetworks

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


def validator(name: str = "release-package-schema.json") -> jsonschema.Draft4Validator:
    package = json.loads((SCHEMAS / name).read_text())
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    registry: Registry[Any] = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return jsonschema.Draft4Validator(
        package, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def errors(package: dict[str, Any]) -> list[str]:
    """What the official release package schema finds wrong with ``package``."""
    found = validator().iter_errors(json.loads(json.dumps(package)))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def record_errors(package: dict[str, Any]) -> list[str]:
    """What the official record package schema finds wrong with ``package``."""
    found = validator("record-package-schema.json").iter_errors(json.loads(json.dumps(package)))
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


async def test_the_record_schema_is_the_official_one() -> None:
    package = json.loads((SCHEMAS / "record-package-schema.json").read_text())
    assert package["id"].endswith("/schema/1__1__5/record-package-schema.json")
    bare = {
        "uri": URI,
        "version": "1.1",
        "publishedDate": "2025-01-01T00:00:00Z",
        "publisher": {"name": "Koperasi Hub"},
        "records": [{"ocid": "ocds-kphub0-1", "compiledRelease": {"ocid": "ocds-kphub0-1"}}],
    }
    found = record_errors(bare)
    assert "records/0: 'releases' is a required property" in found
    # The compiled release is checked against the release schema it refers to.
    assert "records/0/compiledRelease: 'tag' is a required property" in found


async def test_the_merge_rules_are_ocds_1_1_5s() -> None:
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    assert get_merge_rules(release) == ocds.MERGE_RULES


async def export(procurement: ProcurementService, rfq: Rfq) -> ocds.Process:
    """The RFQ's contracting process as its buyer's export reads it."""
    store, orders = procurement.store, procurement.orders.store
    return await publication.process(store, orders, BUYER, rfq)


async def published(procurement: ProcurementService, rfq: Rfq) -> dict[str, bytes]:
    """Every release of the RFQ now, by id, as the bytes a consumer gets; both packages
    checked against the official schemas on the way."""
    package = await procurement.ocds_package(BUYER, rfq.id, uri=URI)
    assert errors(package) == []
    found = ocds.releases(await export(procurement, rfq))
    record = ocds.record_package(found, uri=f"{URI}#record", releases_uri=URI)
    assert record_errors(record) == []
    assert [r["id"] for r in record["records"][0]["releases"]] == [
        r["id"] for r in package["releases"]
    ]
    return {r["id"]: json.dumps(r).encode() for r in package["releases"]}


def unchanged(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The ids of releases published before that are gone or differ now."""
    return [i for i, body in before.items() if after.get(i) != body]


async def test_an_open_rfq_exports_as_a_valid_tender_release(
    procurement: ProcurementService, federation: Federation, clock: Clock
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    before = await published(procurement, rfq)
    local = await local_supplier(federation, rfq)
    await procurement.submit_quote(supplier(local), await listing_quote(federation, rfq, local))

    package = await procurement.ocds_package(BUYER, rfq.id, uri=URI)

    assert errors(package) == []
    (release,) = package["releases"]
    assert release["id"] == f"{rfq.id}-tender"
    assert release["tag"] == ["tender"]
    assert release["ocid"].endswith(rfq.id)
    assert release["tender"]["status"] == "active"
    assert release["tender"]["items"][0]["classification"] == {
        "scheme": "KBLI",
        "id": KERIPIK,
        "description": "Klasifikasi Baku Lapangan Usaha Indonesia 2020",
    }
    assert release["buyer"]["name"] == "PT Farmasi Nusantara (Persero) Tbk"
    # A quote is not the tender's news: the tender release says what was published.
    assert "tenderers" not in release["tender"]
    assert unchanged(before, await published(procurement, rfq)) == []


async def test_every_release_stays_the_same_bytes_through_the_process(
    procurement: ProcurementService,
    federation: Federation,
    orders: OrderService,
    clock: Clock,
    clean: LiveNetworks,
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    winner = await procurement.submit_quote(
        supplier(local), await listing_quote(federation, rfq, local)
    )
    await procurement.submit_quote(
        supplier(invited(rfq, "padi")[0]), priced_quote(rfq, "padi", 99_000)
    )
    seen = await published(procurement, rfq)
    assert list(seen) == [f"{rfq.id}-tender"]

    award = await procurement.award(BUYER, rfq.id, winner.id)
    assert award.order_id is not None
    after_award = await published(procurement, rfq)
    assert unchanged(seen, after_award) == []
    assert list(after_award) == [
        f"{rfq.id}-tender",
        f"{rfq.id}-award-{award.id}",
        f"{rfq.id}-contract-{award.id}",  # the purchase order, confirmed by SEJUK
    ]
    seen = after_award

    order = await orders.store.load(award.order_id)
    assert order is not None
    native = order.sub_orders[0].native_id
    stages = [("shipped", 2), ("delivered", 1)]  # SEJUK: created → confirmed → shipped → done
    for stage, steps in stages:
        for _ in range(steps):
            await clean.admin("sejuk", "POST", f"/admin/pesanan/{native}/maju")
        await orders.worker.track()
        now = await published(procurement, rfq)
        assert unchanged(seen, now) == []
        assert list(now) == [*seen, f"{rfq.id}-{stage}-{award.id}"]
        seen = now

    # Nor does anything else move them: the RFQ read again, its award, a second fetch.
    await procurement.award_of(BUYER, rfq.id)
    assert unchanged(seen, await published(procurement, rfq)) == []

    releases = [json.loads(body) for body in seen.values()]
    assert [r["tag"] for r in releases] == [
        ["tender"],
        ["tenderUpdate", "award"],
        ["contract"],
        ["implementation"],
        ["implementation", "contractTermination"],
    ]
    assert [r["date"] for r in releases] == sorted(r["date"] for r in releases)
    assert releases[0]["tender"]["status"] == "active"

    record = ocds.record_package(
        ocds.releases(await export(procurement, rfq)), uri=f"{URI}#record", releases_uri=URI
    )
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == releases[-1]["date"]
    assert compiled["tender"]["status"] == "complete"
    assert compiled["tender"]["numberOfTenderers"] == 2
    assert compiled["tender"]["title"] == rfq.title  # kept from the tender release
    roles = {p["id"]: p["roles"] for p in compiled["parties"]}
    assert roles[f"ID-BUMN-{rfq.buyer_id}"] == ["buyer", "procuringEntity"]
    assert roles[f"ID-NIB-{winner.nib}"] == ["tenderer", "supplier"]
    (contract,) = compiled["contracts"]
    assert (contract["awardID"], contract["status"]) == (award.id, "terminated")
    assert contract["value"] == {"amount": winner.total, "currency": "IDR"}
    milestones = {m["id"]: m for m in contract["implementation"]["milestones"]}
    assert milestones["delivery"]["status"] == "met"
    assert "dueDate" in milestones["delivery"]  # set by the contract, kept by the merge
    assert milestones["dispatch"]["status"] == "met"


async def test_a_padi_award_is_its_award_and_contract_releases(
    procurement: ProcurementService, clock: Clock, clean: LiveNetworks
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    quote = await procurement.submit_quote(
        supplier(invited(rfq, "padi")[0]), priced_quote(rfq, "padi", 9_800)
    )
    tender = await published(procurement, rfq)

    award = await procurement.award(BUYER, rfq.id, quote.id)
    now = await published(procurement, rfq)

    assert unchanged(tender, now) == []
    awarded, contracted = (json.loads(now[i]) for i in list(now)[1:])
    (ocds_award,) = awarded["awards"]
    assert ocds_award["value"] == {"amount": quote.total, "currency": "IDR"}
    assert ocds_award["suppliers"] == [{"id": f"ID-NIB-{quote.nib}", "name": quote.supplier_name}]
    (contract,) = contracted["contracts"]
    # PaDi makes its purchase order within the award: the same moment.
    assert contracted["date"] == awarded["date"] == contract["dateSigned"]
    assert all(o.order_id in contract["description"] for o in award.native_orders)
    assert contract["status"] == "active"


async def test_a_bumns_releases_from_a_date_come_in_pages(
    procurement: ProcurementService, clock: Clock
) -> None:
    before = await procurement.publish(BUYER, rfq_draft(clock, title="Keripik Januari"))
    clock.advance(HOUR)
    start = clock.now
    first = await procurement.publish(BUYER, rfq_draft(clock, title="Keripik Februari"))
    clock.advance(1)
    second = await procurement.publish(BUYER, rfq_draft(clock, title="Keripik Maret"))
    store, orders = procurement.store, procurement.orders.store

    walked: list[str] = []
    after = None
    for _ in range(10):  # a cursor that does not move on fails here rather than loop
        page = await publication.since(store, orders, BUYER.id, start, after=after, limit=1)
        walked += [p.release["id"] for p in page.releases]
        if page.after is None:
            break
        after = page.after
    whole = await publication.since(store, orders, BUYER.id, start)

    assert walked == [p.release["id"] for p in whole.releases]
    assert walked == [f"{first.id}-tender", f"{second.id}-tender"]
    assert f"{before.id}-tender" not in walked  # published before the date
    other = await publication.since(store, orders, "BUMN-PANGAN", start)
    assert other.releases == ()
