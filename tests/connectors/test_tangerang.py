"""The Tangerang connector against the real reference network (in process and over HTTP)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from starlette.applications import Starlette

from connectors.errors import (
    NetworkProtocolError,
    NetworkRejected,
    NetworkTimeout,
    NetworkUnavailable,
)
from connectors.records import (
    CertificationKind,
    CooperativeQuery,
    Page,
    ProductQuery,
    Scale,
    SupplierQuery,
)
from connectors.registry import ConnectorConfig, build_connector
from connectors.tangerang import TangerangConnector
from networks.tangerang.app import create_app
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth
from networks.testing import on_free_port
from tests.connectors.logs import logged_for

CLIENT_ID = "koperasi-hub"
SECRET = "tangerang-dev-secret"
ADMIN = {"Authorization": "Bearer admin-dev-token"}
T = TypeVar("T")
Search = Callable[[str | None, int], Awaitable[Page[T]]]


def tangerang_config(base_url: str = "http://network", **changes: Any) -> ConnectorConfig:
    config = ConnectorConfig(
        code="tangerang",
        kind="tangerang",
        base_url=base_url,
        credentials={"client_id": CLIENT_ID, "secret": SECRET},
    )
    return replace(config, **changes)


def tangerang_network(tmp_path: Path) -> Starlette:
    settings = TangerangSettings(data_dir=tmp_path, products=150, hmac_clients={CLIENT_ID: SECRET})
    return create_app(settings)


@pytest.fixture
async def tangerang_app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = tangerang_network(tmp_path)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def tangerang(tangerang_app: Starlette) -> AsyncIterator[TangerangConnector]:
    connector = TangerangConnector(
        tangerang_config(), transport=httpx.ASGITransport(app=tangerang_app)
    )
    yield connector
    await connector.aclose()


@pytest.fixture
async def tangerang_native(tangerang_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A signed client of the same network, to compare with and to drive its admin API."""
    transport = httpx.ASGITransport(app=tangerang_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://network", auth=HmacAuth(CLIENT_ID, SECRET)
    ) as client:
        yield client


async def native_walk(client: httpx.AsyncClient, path: str, **params: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": "100", **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        found.extend(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return found


async def walk(search: Search[T], limit: int = 100) -> list[T]:
    found: list[T] = []
    after: str | None = None
    while True:
        page = await search(after, limit)
        found.extend(page.items)
        if not page.has_more:
            return found
        after = page.positions[-1]


async def walk_by_prefixes(search: Search[T], limit: int = 7) -> list[T]:
    """Consume 1, 2, ... limit items of each page in turn, resuming after the last one."""
    found: list[T] = []
    after: str | None = None
    take = 0
    while True:
        page = await search(after, limit)
        assert len(page.items) == len(page.positions)
        if not page.items:
            assert not page.has_more
            return found
        take = take % limit + 1
        k = min(take, len(page.items))
        found.extend(page.items[:k])
        after = page.positions[k - 1]


async def requests_served(client: httpx.AsyncClient) -> dict[str, int]:
    answer = (await client.get("/admin/requests", headers=ADMIN)).json()
    by_route: dict[str, int] = answer["by_route"]
    return by_route


async def set_faults(client: httpx.AsyncClient, **faults: Any) -> None:
    response = await client.put("/admin/faults", json=faults, headers=ADMIN)
    assert response.status_code == 200, response.text


async def test_build_connector_makes_a_tangerang_connector() -> None:
    connector = build_connector(tangerang_config())
    assert isinstance(connector, TangerangConnector)
    assert connector.code == "tangerang"
    assert "in_stock" in connector.capabilities.product_filters
    await connector.aclose()


async def test_products_are_canonical_records(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    native = await native_walk(tangerang_native, "/v2/catalog/items")
    records = await walk(partial(tangerang.search_products, ProductQuery()))
    assert [r.id for r in records] == [n["id"] for n in native]
    assert len(records) == 150
    for record, item in zip(records, native, strict=True):
        assert record.network == "tangerang"
        assert record.price == int(item["price"].removesuffix(".00"))
        assert record.stock == item["stock"]
        assert (record.supplier_id, record.region_code) == (
            item["merchant_id"],
            item["region_code"],
        )
        assert (record.category, record.unit, record.min_order) == (
            item["category"],
            item["unit"],
            item["min_order"],
        )
    assert any(r.stock is None for r in records)
    assert any(r.stock is not None for r in records)


async def test_each_product_filter_is_pushed_down(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    everything = await native_walk(tangerang_native, "/v2/catalog/items")
    sample = everything[17]
    prices = sorted(int(item["price"].removesuffix(".00")) for item in everything)
    median = prices[len(prices) // 2]
    word = sample["name"].split()[0]
    cases: list[tuple[ProductQuery, dict[str, str]]] = [
        (ProductQuery(text=word), {}),  # names only: the hub matches product text
        (ProductQuery(category=sample["category"]), {"category": sample["category"]}),
        (ProductQuery(region_code="36.71"), {"region_code": "36.71"}),
        (ProductQuery(region_code="36"), {"region_code": "36"}),
        (ProductQuery(min_price=median), {"min_price": f"{median}.00"}),
        (ProductQuery(max_price=median), {"max_price": f"{median}.00"}),
        (ProductQuery(in_stock=True), {"in_stock": "true"}),
        (ProductQuery(in_stock=False), {"in_stock": "false"}),
        (ProductQuery(supplier_id=sample["merchant_id"]), {"merchant_id": sample["merchant_id"]}),
        (
            ProductQuery(category=sample["category"], max_price=prices[-1], in_stock=True),
            {"category": sample["category"], "max_price": f"{prices[-1]}.00", "in_stock": "true"},
        ),
    ]
    assert ProductQuery.__dataclass_fields__.keys() - {"text"} == (
        tangerang.capabilities.product_filters
    )
    for query, params in cases:
        expected = await native_walk(tangerang_native, "/v2/catalog/items", **params)
        await tangerang_native.delete("/admin/requests", headers=ADMIN)
        found = await walk(partial(tangerang.search_products, query))
        assert [r.id for r in found] == [n["id"] for n in expected], query
        # A region prefix, or text (left to the hub), may keep every item.
        assert 0 < len(expected) < len(everything) or query.region_code or query.text, query
        pages = -(-len(expected) // 100)  # filtered by the network, not after fetching all
        assert await requests_served(tangerang_native) == {"GET /v2/catalog/items": pages}


async def test_filters_that_cannot_match_ask_nothing(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    await tangerang_native.delete("/admin/requests", headers=ADMIN)
    for query in (
        ProductQuery(supplier_id="sup-123"),
        ProductQuery(region_code="Jawa Barat"),
        ProductQuery(max_price=-1),
    ):
        page = await tangerang.search_products(query, None, 10)
        assert page == Page((), (), False)
    no_region = SupplierQuery(region_codes=("Banten",))
    assert (await tangerang.search_suppliers(no_region, None, 10)).items == ()
    assert (
        await tangerang.search_cooperatives(CooperativeQuery(type="bank"), None, 10)
    ).items == ()
    assert await requests_served(tangerang_native) == {}


async def test_paging_by_any_prefix_sees_everything_once(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    everything = [n["id"] for n in await native_walk(tangerang_native, "/v2/catalog/items")]
    products = await walk_by_prefixes(partial(tangerang.search_products, ProductQuery()))
    assert [p.id for p in products] == everything
    in_stock = await walk_by_prefixes(
        partial(tangerang.search_products, ProductQuery(in_stock=True))
    )
    expected = await native_walk(tangerang_native, "/v2/catalog/items", in_stock="true")
    assert [p.id for p in in_stock] == [n["id"] for n in expected]
    merchants = await native_walk(tangerang_native, "/v2/merchants")
    suppliers = await walk_by_prefixes(partial(tangerang.search_suppliers, SupplierQuery()))
    assert [s.id for s in suppliers] == [m["id"] for m in merchants]
    coops = await native_walk(tangerang_native, "/v2/cooperatives")
    cooperatives = await walk_by_prefixes(
        partial(tangerang.search_cooperatives, CooperativeQuery()),
        limit=5,
    )
    assert [c.id for c in cooperatives] == [c["id"] for c in coops]


async def test_the_last_position_resumes_after_new_items(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    """After the 100th item of a full last page there is no native cursor to resume from."""
    everything = await native_walk(tangerang_native, "/v2/catalog/items")
    prices = sorted((int(n["price"].removesuffix(".00")) for n in everything), reverse=True)
    assert prices[99] != prices[100]
    query = ProductQuery(min_price=prices[99])  # exactly one full native page
    page = await tangerang.search_products(query, None, 100)
    assert (len(page.items), page.has_more) == (100, False)
    assert await tangerang.search_products(query, page.positions[-1], 10) == Page((), (), False)
    body = {k: everything[0][k] for k in ("merchant_id", "name", "category", "unit")}
    body |= {"price": f"{prices[0]}.00", "stock": 5, "min_order": 1}
    response = await tangerang_native.put("/admin/items/itm_009999", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    later = await tangerang.search_products(query, page.positions[-1], 10)
    assert [p.id for p in later.items] == ["itm_009999"]
    assert not later.has_more


async def test_positions_from_elsewhere_are_rejected(tangerang: TangerangConnector) -> None:
    with pytest.raises(NetworkRejected):
        await tangerang.search_products(ProductQuery(), "page-2", 10)
    page = await tangerang.search_products(ProductQuery(), None, 100)
    with pytest.raises(NetworkRejected):
        await tangerang.search_suppliers(SupplierQuery(), page.positions[-1], 10)


async def test_supplier_filters(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    merchants = await native_walk(tangerang_native, "/v2/merchants")
    sample = next(m for m in merchants if m["certifications"])
    kind = sample["certifications"][0]["type"]
    cases: list[tuple[SupplierQuery, dict[str, str]]] = [
        (SupplierQuery(text=f" {sample['name'][3:9]} "), {"q": sample["name"][3:9]}),
        (SupplierQuery(text="Sumber Rezeki Jaya™"), {}),
        (SupplierQuery(kbli=sample["kbli"]), {"kbli": sample["kbli"]}),
        (SupplierQuery(kbli=sample["kbli"][:2]), {}),  # a KBLI prefix is left to the hub
        (SupplierQuery(scale=Scale(sample["scale"])), {"scale": sample["scale"]}),
        (SupplierQuery(certifications=(CertificationKind(kind),)), {"certification": kind}),
        (
            SupplierQuery(certifications=(CertificationKind(kind), CertificationKind.BPOM)),
            {"certification": kind},
        ),
        (
            SupplierQuery(region_codes=(sample["region_code"],)),
            {"region_code": sample["region_code"]},
        ),
        (SupplierQuery(region_codes=("36.71", "36.03")), {}),
        (SupplierQuery(verified_only=True), {}),
    ]
    for query, params in cases:
        expected = await native_walk(tangerang_native, "/v2/merchants", **params)
        found = await walk(partial(tangerang.search_suppliers, query))
        assert [s.id for s in found] == [m["id"] for m in expected], query
        assert found, query
    record = (await tangerang.get_suppliers([sample["id"]]))[sample["id"]]
    assert record.nib == sample["nib"]
    assert record.kbli[0] == sample["kbli"]
    assert set(record.kbli) == set(sample["kbli_codes"]) | {sample["kbli"]}
    assert record.scale == Scale(sample["scale"])
    assert [(c.kind.value, c.number) for c in record.certifications] == [
        (c["type"], c["number"]) for c in sample["certifications"]
    ]
    assert record.verified is None


async def test_batch_gets_are_one_request_and_skip_unknown_ids(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    await tangerang_native.delete("/admin/requests", headers=ADMIN)
    products = await tangerang.get_products(["itm_000003", "itm_999999", "nonsense", "itm_000003"])
    suppliers = await tangerang.get_suppliers(["mrc_000002", "mrc_999999"])
    cooperatives = await tangerang.get_cooperatives(["coop_000001", "coop_000004", "x"])
    assert list(products) == ["itm_000003"]
    assert products["itm_000003"].price > 0
    assert list(suppliers) == ["mrc_000002"]
    assert sorted(cooperatives) == ["coop_000001", "coop_000004"]
    assert await tangerang.get_products([]) == {}
    assert await requests_served(tangerang_native) == {
        "POST /v2/catalog/items:batchGet": 1,
        "POST /v2/merchants:batchGet": 1,
        "POST /v2/cooperatives:batchGet": 1,
    }


async def test_batch_gets_beyond_the_network_limit_are_chunked(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    await tangerang_native.delete("/admin/requests", headers=ADMIN)
    found = await tangerang.get_products([f"itm_{n:06d}" for n in range(1, 181)])
    assert len(found) == 150
    served = await requests_served(tangerang_native)
    assert served == {"POST /v2/catalog/items:batchGet": 2}


async def test_suppliers_by_nib(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    merchants = await native_walk(tangerang_native, "/v2/merchants")
    nibs = [m["nib"] for m in merchants[:5]]
    await tangerang_native.delete("/admin/requests", headers=ADMIN)
    found = await tangerang.find_suppliers_by_nib([*nibs, "0000000000000"])
    assert sorted(found) == sorted(nibs)
    assert {r.id for r in found.values()} == {m["id"] for m in merchants[:5]}
    assert await requests_served(tangerang_native) == {"POST /v2/merchants:batchGetByNib": 1}


async def test_cooperatives_search_and_get(
    tangerang: TangerangConnector, tangerang_native: httpx.AsyncClient
) -> None:
    coops = await native_walk(tangerang_native, "/v2/cooperatives")
    sample = coops[2]
    cases: list[tuple[CooperativeQuery, dict[str, str]]] = [
        (CooperativeQuery(type=sample["type"]), {"type": sample["type"]}),
        (CooperativeQuery(region_code="36.71"), {"region_code": "36.71"}),
        (CooperativeQuery(text=sample["name"][-6:]), {"q": sample["name"][-6:]}),
    ]
    for query, params in cases:
        expected = await native_walk(tangerang_native, "/v2/cooperatives", **params)
        found = await walk(partial(tangerang.search_cooperatives, query))
        assert [c.id for c in found] == [c["id"] for c in expected], query
        assert found, query
    record = (await tangerang.get_cooperatives([sample["id"]]))[sample["id"]]
    assert (record.name, record.type, record.region_code) == (
        sample["name"],
        sample["type"],
        sample["region_code"],
    )
    assert (record.member_count, record.address) == (sample["member_count"], sample["address"])


async def test_health(tangerang: TangerangConnector) -> None:
    await tangerang.health()


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"down": "503"}, NetworkUnavailable),
        ({"error_rate": 1}, NetworkUnavailable),
        ({"malformed_rate": 1}, NetworkProtocolError),
    ],
)
async def test_network_faults(
    tangerang: TangerangConnector,
    tangerang_native: httpx.AsyncClient,
    faults: dict[str, Any],
    error: type[Exception],
) -> None:
    await set_faults(tangerang_native, **faults)
    with pytest.raises(error):
        await tangerang.health()
    with pytest.raises(error):
        await tangerang.get_products(["itm_000001"])


async def test_bad_credentials_are_rejected(
    tangerang_app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    config = tangerang_config(credentials={"client_id": CLIENT_ID, "secret": "wrong"})
    connector = TangerangConnector(config, transport=httpx.ASGITransport(app=tangerang_app))
    with pytest.raises(NetworkRejected) as caught:
        await connector.health()
    await connector.aclose()
    assert caught.value.status == 401
    # The network's reason is the operator's (in the log), not the client's.
    assert "invalid_signature" not in caught.value.message
    assert "invalid_signature" in logged_for(caplog, caught.value)


def answering(body: dict[str, Any]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, json=body))


@pytest.mark.parametrize(
    "change",
    [{"price": "15000.50"}, {"price": "lima ribu"}, {"price": 15000}, {"stock": "banyak"}],
)
async def test_unreadable_items_are_protocol_errors(change: dict[str, Any]) -> None:
    item = {
        "id": "itm_000001",
        "name": "Beras",
        "category": "beras",
        "unit": "kg",
        "price": "15000.00",
        "stock": None,
        "min_order": 1,
        "merchant_id": "mrc_000001",
        "region_code": "36.71",
    }
    good = TangerangConnector(
        tangerang_config(), transport=answering({"items": [item], "not_found": []})
    )
    assert (await good.get_products(["itm_000001"]))["itm_000001"].price == 15000
    await good.aclose()
    bad = TangerangConnector(
        tangerang_config(), transport=answering({"items": [item | change], "not_found": []})
    )
    with pytest.raises(NetworkProtocolError):
        await bad.get_products(["itm_000001"])
    with pytest.raises(NetworkProtocolError):
        await bad.search_products(ProductQuery(), None, 5)
    await bad.aclose()


async def test_over_real_http_with_timeouts(tmp_path: Path) -> None:
    async with on_free_port(tangerang_network(tmp_path)) as url:
        connector = TangerangConnector(tangerang_config(url, timeout=0.2))
        async with httpx.AsyncClient(base_url=url) as admin:
            await connector.health()
            page = await connector.search_products(ProductQuery(category="beras"), None, 5)
            assert all(p.category == "beras" for p in page.items)
            await set_faults(admin, latency_ms=1000)
            with pytest.raises(NetworkTimeout):
                await connector.health()
            await admin.delete("/admin/faults", headers=ADMIN)
        await connector.aclose()


async def test_nothing_listening_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    connector = TangerangConnector(tangerang_config(f"http://127.0.0.1:{port}"))
    with pytest.raises(NetworkUnavailable):
        await connector.health()
    await connector.aclose()
