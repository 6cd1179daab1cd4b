"""Every refusal is a clear error, and nothing is written: not on the board, not in the
orders, not at any network."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from federation.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from federation.hub import Federation
from federation.procurement.model import (
    Organisation,
    QuoteLineDraft,
    SpendFilter,
    SpendGroup,
)
from federation.procurement.service import ProcurementService
from tests.federation.procurement.support import (
    HOUR,
    Clock,
    invited,
    listing_quote,
    local_supplier,
    priced_quote,
    rfq_draft,
    row_counts,
    supplier,
)
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

BUYER = Organisation.bumn("BUMN-POS")


class Unchanged:
    """Rows in the hub's tables and requests to the networks, before and after."""

    def __init__(self, procurement: ProcurementService, networks: LiveNetworks) -> None:
        self.procurement = procurement
        self.networks = networks
        self.rows: dict[str, int] = {}

    async def mark(self) -> None:
        await self.networks.reset_counts()
        self.rows = await row_counts(self.procurement.store.engine)

    async def check(self, *, network_calls: bool = False) -> None:
        assert await row_counts(self.procurement.store.engine) == self.rows
        if not network_calls:
            assert set((await self.networks.request_counts()).values()) == {0}


@pytest_asyncio.fixture(loop_scope="module")
async def unchanged(
    procurement: ProcurementService, clean: LiveNetworks
) -> AsyncIterator[Unchanged]:
    yield Unchanged(procurement, clean)


async def test_rfq_without_items(
    procurement: ProcurementService, clock: Clock, unchanged: Unchanged
) -> None:
    await unchanged.mark()
    with pytest.raises(InputError, match="at least one item"):
        await procurement.publish(BUYER, dataclasses.replace(rfq_draft(clock), items=()))
    await unchanged.check()


async def test_rfq_with_a_past_deadline(
    procurement: ProcurementService, clock: Clock, unchanged: Unchanged
) -> None:
    await unchanged.mark()
    past = dataclasses.replace(rfq_draft(clock), deadline=clock.after(-1))
    with pytest.raises(InputError, match="already passed"):
        await procurement.publish(BUYER, past)
    naive = dataclasses.replace(rfq_draft(clock), deadline=dt.datetime(2030, 1, 1))
    with pytest.raises(InputError, match="time zone"):
        await procurement.publish(BUYER, naive)
    await unchanged.check()


async def test_rfq_with_bad_codes_or_from_a_non_bumn(
    procurement: ProcurementService, clock: Clock, unchanged: Unchanged
) -> None:
    await unchanged.mark()
    with pytest.raises(InputError, match="five-digit KBLI"):
        await procurement.publish(BUYER, rfq_draft(clock, kbli="107"))
    with pytest.raises(InputError, match="Kemendagri"):
        await procurement.publish(BUYER, rfq_draft(clock, region="Bandung"))
    with pytest.raises(InputError, match="quantity"):
        await procurement.publish(BUYER, rfq_draft(clock, quantity=0))
    with pytest.raises(ForbiddenError):
        await procurement.publish(Organisation.supplier("9100000012837"), rfq_draft(clock))
    await unchanged.check()


async def test_rfq_from_an_unknown_bumn_or_for_what_nobody_sells(
    procurement: ProcurementService, clock: Clock, unchanged: Unchanged
) -> None:
    await unchanged.mark()
    with pytest.raises(NotFoundError, match="not a BUMN"):
        await procurement.publish(Organisation.bumn("BUMN-TIDAK-ADA"), rfq_draft(clock))
    with pytest.raises(InputError, match="nothing was published"):
        await procurement.publish(BUYER, rfq_draft(clock, kbli="99999"))
    await unchanged.check(network_calls=True)  # asked, but wrote nothing anywhere


async def test_quote_after_the_deadline(
    procurement: ProcurementService, federation: Federation, clock: Clock, unchanged: Unchanged
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    draft = await listing_quote(federation, rfq, local)
    remote = invited(rfq, "padi")[0]
    clock.advance(48 * HOUR + 1)
    await unchanged.mark()

    with pytest.raises(ConflictError, match="closed"):
        await procurement.submit_quote(supplier(local), draft)
    with pytest.raises(ConflictError, match="closed"):
        await procurement.submit_quote(supplier(remote), priced_quote(rfq, "padi", 9_000))
    await unchanged.check()


async def test_quote_from_a_supplier_not_invited(
    procurement: ProcurementService, federation: Federation, clock: Clock, unchanged: Unchanged
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    draft = await listing_quote(federation, rfq, local)
    await unchanged.mark()

    with pytest.raises(NotFoundError, match="no RFQ"):
        await procurement.submit_quote(Organisation.supplier("0000000000000"), draft)
    with pytest.raises(InputError, match="invited on sejuk"):
        await procurement.submit_quote(
            supplier(local), dataclasses.replace(draft, network="tangerang")
        )
    await unchanged.check()


async def test_quote_that_misses_an_item_or_names_another_suppliers_product(
    procurement: ProcurementService, federation: Federation, clock: Clock, unchanged: Unchanged
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    draft = await listing_quote(federation, rfq, local)
    others = [i for i in invited(rfq, "sejuk") if i.nib != local.nib]
    await unchanged.mark()

    with pytest.raises(InputError, match="every item"):
        await procurement.submit_quote(supplier(local), dataclasses.replace(draft, lines=()))
    cheaper = dataclasses.replace(draft.lines[0], unit_price=1)
    with pytest.raises(InputError, match="listed price"):
        await procurement.submit_quote(
            supplier(local), dataclasses.replace(draft, lines=(cheaper,))
        )
    remote = invited(rfq, "padi")[0]
    no_price = dataclasses.replace(
        priced_quote(rfq, "padi", 1), lines=(QuoteLineDraft(position=0),)
    )
    with pytest.raises(InputError, match="states `unitPrice`"):
        await procurement.submit_quote(supplier(remote), no_price)
    if others:
        with pytest.raises(InputError, match="not one of your products"):
            await procurement.submit_quote(supplier(others[0]), draft)
    await unchanged.check(network_calls=True)


async def test_quoting_twice(
    procurement: ProcurementService, federation: Federation, clock: Clock, unchanged: Unchanged
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    draft = await listing_quote(federation, rfq, local)
    await procurement.submit_quote(supplier(local), draft)
    await unchanged.mark()

    with pytest.raises(ConflictError, match="already quoted"):
        await procurement.submit_quote(supplier(local), draft)
    await unchanged.check()


async def test_awarding_twice(
    procurement: ProcurementService, federation: Federation, clock: Clock, unchanged: Unchanged
) -> None:
    rfq = await procurement.publish(BUYER, rfq_draft(clock))
    local = await local_supplier(federation, rfq)
    first = await procurement.submit_quote(
        supplier(local), await listing_quote(federation, rfq, local)
    )
    second = await procurement.submit_quote(
        supplier(invited(rfq, "padi")[0]), priced_quote(rfq, "padi", 9_000)
    )
    await procurement.award(BUYER, rfq.id, first.id)
    await unchanged.mark()

    for quote in (first, second):
        with pytest.raises(ConflictError, match="already awarded"):
            await procurement.award(BUYER, rfq.id, quote.id)
    with pytest.raises(ConflictError, match="awarded"):
        await procurement.submit_quote(
            supplier(invited(rfq, "padi")[-1]), priced_quote(rfq, "padi", 8_000)
        )
    await unchanged.check()


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2025-06", "2025-01", "backwards"),
        ("2022-01", "2025-01", "37 months"),
        ("2025-13", "2025-12", "month like"),
        ("2025-1", "2025-12", "month like"),
    ],
)
async def test_spend_period_inverted_too_long_or_malformed(
    procurement: ProcurementService, unchanged: Unchanged, first: str, last: str, message: str
) -> None:
    await unchanged.mark()
    with pytest.raises(InputError, match=message):
        await procurement.spend(BUYER, SpendFilter("BUMN-POS", first, last, SpendGroup.MONTH))
    await unchanged.check()


async def test_spend_of_another_bumn(procurement: ProcurementService) -> None:
    with pytest.raises(ForbiddenError):
        await procurement.spend(
            BUYER, SpendFilter("BUMN-KAI", "2025-01", "2025-06", SpendGroup.MONTH)
        )
