"""Publishing an RFQ again under its idempotency key: one RFQ at the hub, one set at PaDi,
even when the first attempt died between PaDi and the hub's database."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3

import pytest

from federation.errors import ConflictError, InputError
from federation.procurement.model import Organisation, RfqDraft
from federation.procurement.service import ProcurementService
from tests.federation.procurement.support import Clock, rfq_draft, row_counts
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

BUYER = Organisation.bumn("BUMN-PELABUHAN")


def padi_rfqs(networks: LiveNetworks) -> int:
    """RFQs in PaDi's own database."""
    with sqlite3.connect(networks.apps["padi"].state.settings.database) as conn:
        return int(conn.execute("SELECT count(*) FROM rfqs").fetchone()[0])


def keyed(clock: Clock, key: str) -> RfqDraft:
    return dataclasses.replace(rfq_draft(clock, region="35.78"), idempotency_key=key)


async def test_the_same_key_publishes_one_rfq_here_and_at_padi(
    procurement: ProcurementService, clock: Clock, networks: LiveNetworks
) -> None:
    draft = keyed(clock, "pengadaan-2026-11-001")
    first = await procurement.publish(BUYER, draft)
    assert first.items[0].native_rfq_id is not None
    at_padi = padi_rfqs(networks)
    again = await procurement.publish(BUYER, draft)
    assert again == first
    assert padi_rfqs(networks) == at_padi
    # Two copies at the same instant: one RFQ, one PaDi RFQ.
    twice = keyed(clock, "pengadaan-2026-11-003")
    racing = await asyncio.gather(*(procurement.publish(BUYER, twice) for _ in range(2)))
    assert racing[0] == racing[1] != first
    assert padi_rfqs(networks) == at_padi + 1
    # Another buyer's key is its own.
    other = await procurement.publish(Organisation.bumn("BUMN-ANGKASA"), draft)
    assert other.id != first.id
    # The key with a different RFQ is refused; a bad key too; nothing is published.
    before = (await row_counts(procurement.store.engine), padi_rfqs(networks))
    changed = dataclasses.replace(draft, title="Keripik untuk acara lain")
    with pytest.raises(ConflictError, match="already used for a different RFQ"):
        await procurement.publish(BUYER, changed)
    with pytest.raises(InputError, match="1-200 characters"):
        await procurement.publish(BUYER, dataclasses.replace(draft, idempotency_key=""))
    assert (await row_counts(procurement.store.engine), padi_rfqs(networks)) == before


async def test_a_retry_after_dying_between_padi_and_the_hub_opens_nothing_twice(
    procurement: ProcurementService,
    clock: Clock,
    networks: LiveNetworks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = keyed(clock, "pengadaan-2026-11-002")
    write = procurement.store._insert_rfq

    async def dies(*_: object) -> None:
        raise ConnectionError("the hub's database went away")

    monkeypatch.setattr(procurement.store, "_insert_rfq", dies)
    with pytest.raises(ConnectionError):
        await procurement.publish(BUYER, draft)
    opened = padi_rfqs(networks)
    monkeypatch.setattr(procurement.store, "_insert_rfq", write)
    rfq = await procurement.publish(BUYER, draft)
    assert padi_rfqs(networks) == opened  # PaDi handed back the RFQ it had opened
    assert await procurement.publish(BUYER, draft) == rfq
    # Without a key, a retry is a new RFQ at PaDi as well.
    plain = dataclasses.replace(draft, idempotency_key=None)
    await procurement.publish(BUYER, plain)
    await procurement.publish(BUYER, plain)
    assert padi_rfqs(networks) == opened + 2
