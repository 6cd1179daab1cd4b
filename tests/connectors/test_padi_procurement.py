"""PaDi's own procurement through the hub's PaDi client: RFQs, quotations, awards, spend."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from connectors.padi import PadiConnector
from connectors.padi.graphql import PadiRejected
from connectors.padi.procurement import PadiProcurement, PadiQuotation, procurement_of
from connectors.records import OrderStatus
from connectors.registry import ConnectorConfig, build_connector
from networks.padi.app import create_app
from networks.padi.settings import PadiSettings

BASE = "http://network"


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = create_app(PadiSettings(data_dir=tmp_path, products=60))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def padi(network: Starlette) -> AsyncIterator[PadiProcurement]:
    config = ConnectorConfig(
        code="padi",
        kind="padi",
        base_url=BASE,
        credentials={"client_id": "koperasi-hub", "client_secret": "padi-dev-secret"},
    )
    connector = build_connector(config, transport=httpx.ASGITransport(app=network))
    assert isinstance(connector, PadiConnector)
    procurement = procurement_of(connector)
    assert procurement is not None
    yield procurement
    await connector.aclose()


async def umkm_ids(network: Starlette) -> list[str]:
    """Two UMKM of PaDi's, asked as the hub's client."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=network), base_url=BASE) as c:
        token = await c.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("koperasi-hub", "padi-dev-secret"),
        )
        body = await c.post(
            "/graphql",
            json={"query": "{ umkms(size: 2) { items { id } } }"},
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
    return [u["id"] for u in body.json()["data"]["umkms"]["items"]]


async def test_only_padi_connectors_have_procurement() -> None:
    assert procurement_of(object()) is None


class _Counting(httpx.AsyncBaseTransport):
    """The network's transport, counting GraphQL requests."""

    def __init__(self, app: Starlette) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.graphql = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.graphql += request.url.path == "/graphql"
        return await self.inner.handle_async_request(request)


async def test_bumns_carry_sector_and_region_and_a_recent_list_is_reused(
    network: Starlette,
) -> None:
    transport = _Counting(network)
    config = ConnectorConfig(
        code="padi",
        kind="padi",
        base_url=BASE,
        credentials={"client_id": "koperasi-hub", "client_secret": "padi-dev-secret"},
    )
    connector = build_connector(config, transport=transport)
    now = [0.0]
    padi = PadiProcurement(connector._graphql, clock=lambda: now[0])  # type: ignore[attr-defined]
    try:
        found = await padi.bumns(max_age=60)
        assert [b.id for b in found] == sorted(b.id for b in found)
        pangan = next(b for b in found if b.id == "BUMN-PANGAN")
        assert (pangan.sector, pangan.region_code) == ("pangan", "31.74")
        assert transport.graphql == 1
        now[0] = 59.0
        assert await padi.bumns(max_age=60) == found  # within the minute: PaDi not asked
        assert transport.graphql == 1
        await padi.bumns()  # no age accepted: asked again
        now[0] = 200.0
        await padi.bumns(max_age=60)
        assert transport.graphql == 3
    finally:
        await connector.aclose()


async def test_rfq_quotation_award_and_repeats(padi: PadiProcurement, network: Starlette) -> None:
    first, second = await umkm_ids(network)
    bumns = {b.id: b for b in await padi.bumns()}
    assert bumns["BUMN-PANGAN"].name == "PT Pangan Negeri (Persero)"
    rfq = await padi.publish_rfq(
        bumn_id="BUMN-PANGAN",
        title="Beras medium",
        description="",
        kbli="10613",
        quantity=20,
        unit="karung",
        deadline=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2),
        region_code="32.73",
    )
    assert (rfq.bumn_id, rfq.status, rfq.awarded_quotation_id) == ("BUMN-PANGAN", "OPEN", None)

    def offer(umkm_id: str, unit_price: int = 70_000) -> Awaitable[PadiQuotation]:
        return padi.submit_quotation(
            rfq_id=rfq.id,
            umkm_id=umkm_id,
            unit_price=unit_price,
            quantity=20,
            delivery_days=4,
            note="",
        )

    winning = await offer(first)
    assert (winning.amount, winning.status) == (1_400_000, "SUBMITTED")
    assert await offer(first) == winning  # the same terms again: the same quotation
    with pytest.raises(PadiRejected) as refused:
        await offer(first, unit_price=1)
    assert refused.value.status == 409
    losing = await offer(second)
    assert [q.id for q in await padi.quotations(rfq.id)] == [winning.id, losing.id]

    order = await padi.award(rfq.id, winning.id)

    assert (order.network, order.status, order.total) == ("padi", OrderStatus.CREATED, 1_400_000)
    assert await padi.award(rfq.id, winning.id) == order
    assert await padi.awarded_order(rfq.id) == order
    with pytest.raises(PadiRejected):
        await padi.award(rfq.id, losing.id)
    awarded = await padi.rfq(rfq.id)
    assert awarded is not None
    assert (awarded.status, awarded.awarded_quotation_id) == ("AWARDED", winning.id)


async def test_spend_is_padis_figures(padi: PadiProcurement) -> None:
    by_scale = await padi.spend(
        "SCALE", bumn_id="BUMN-PANGAN", month_from="2025-01", month_to="2025-12"
    )
    by_month = await padi.spend(
        "MONTH", bumn_id="BUMN-PANGAN", month_from="2025-01", month_to="2025-12"
    )
    assert {r.key for r in by_scale} <= {"MIKRO", "KECIL", "MENENGAH", "BESAR"}
    assert [r.key for r in by_month] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert sum(r.amount for r in by_scale) == sum(r.amount for r in by_month) > 0
    assert await padi.rfq("RFQ-999999") is None
