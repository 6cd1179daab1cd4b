"""RFQs and quotes are seen only by their buyer and by the suppliers concerned.

Another BUMN, or a supplier that was not invited, finds nothing (NOT_FOUND, as for an RFQ
that does not exist); an invited supplier sees its own invitation and quote only.
"""

from __future__ import annotations

import pytest

from federation.errors import ForbiddenError, NotFoundError
from federation.hub import Federation
from federation.procurement.model import Organisation, Rfq
from federation.procurement.service import ProcurementService
from tests.federation.procurement.support import (
    Clock,
    invited,
    listing_quote,
    local_supplier,
    priced_quote,
    rfq_draft,
    supplier,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

PANGAN = Organisation.bumn("BUMN-PUPUK")
KERETA = Organisation.bumn("BUMN-KAI")
STRANGER = Organisation.supplier("0000000000000")


async def published(procurement: ProcurementService, clock: Clock) -> tuple[Rfq, Rfq]:
    mine = await procurement.publish(PANGAN, rfq_draft(clock, title="Keripik Pupuk"))
    theirs = await procurement.publish(KERETA, rfq_draft(clock, title="Keripik Kereta"))
    return mine, theirs


async def test_a_bumn_sees_only_its_own_rfqs(procurement: ProcurementService, clock: Clock) -> None:
    mine, theirs = await published(procurement, clock)

    own = {r.id for r in await procurement.list_rfqs(PANGAN)}
    other = {r.id for r in await procurement.list_rfqs(KERETA)}
    assert mine.id in own - other
    assert theirs.id in other - own
    assert all(r.buyer_id == "BUMN-PUPUK" for r in await procurement.list_rfqs(PANGAN))
    for call in (
        procurement.get(KERETA, mine.id),
        procurement.quotes(KERETA, mine.id),
        procurement.award_of(KERETA, mine.id),
    ):
        with pytest.raises(NotFoundError):
            await call


async def test_another_bumn_cannot_award_or_export(
    procurement: ProcurementService, federation: Federation, clock: Clock
) -> None:
    mine, _ = await published(procurement, clock)
    local = await local_supplier(federation, mine)
    quote = await procurement.submit_quote(
        supplier(local), await listing_quote(federation, mine, local)
    )

    with pytest.raises(NotFoundError):
        await procurement.award(KERETA, mine.id, quote.id)
    with pytest.raises(NotFoundError):
        await procurement.ocds_package(KERETA, mine.id, uri="https://hub.example/ocds/x")
    with pytest.raises(ForbiddenError):
        await procurement.award(supplier(local), mine.id, quote.id)
    assert await procurement.award_of(PANGAN, mine.id) is None


async def test_suppliers_see_their_invitations_and_own_quotes_only(
    procurement: ProcurementService, federation: Federation, clock: Clock
) -> None:
    mine, theirs = await published(procurement, clock)
    local = await local_supplier(federation, mine)
    remote = invited(mine, "padi")[0]
    local_quote = await procurement.submit_quote(
        supplier(local), await listing_quote(federation, mine, local)
    )
    remote_quote = await procurement.submit_quote(
        supplier(remote), priced_quote(mine, "padi", unit_price=9_900)
    )

    seen = await procurement.get(supplier(local), mine.id)
    assert {i.nib for i in seen.invitations} == {local.nib}
    assert {r.id for r in await procurement.list_rfqs(supplier(local))} >= {mine.id, theirs.id}
    assert [q.id for q in await procurement.quotes(supplier(local), mine.id)] == [local_quote.id]
    assert [q.id for q in await procurement.quotes(supplier(remote), mine.id)] == [remote_quote.id]
    assert {q.id for q in await procurement.quotes(PANGAN, mine.id)} == {
        local_quote.id,
        remote_quote.id,
    }

    await procurement.award(PANGAN, mine.id, local_quote.id)

    winner_view = await procurement.award_of(supplier(local), mine.id)
    assert winner_view is not None
    assert winner_view.quote_id == local_quote.id
    assert await procurement.award_of(supplier(remote), mine.id) is None


async def test_a_supplier_not_invited_finds_nothing(
    procurement: ProcurementService, clock: Clock
) -> None:
    mine, _ = await published(procurement, clock)

    assert await procurement.list_rfqs(STRANGER) == []
    with pytest.raises(NotFoundError):
        await procurement.get(STRANGER, mine.id)
    with pytest.raises(NotFoundError):
        await procurement.quotes(STRANGER, mine.id)
