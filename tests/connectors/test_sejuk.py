"""SejukConnector against the real SEJUK reference network (in process, and over HTTP)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

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
    PriceTier,
    ProductQuery,
    Scale,
    SupplierQuery,
)
from connectors.registry import ConnectorConfig, build_connector
from connectors.sejuk import SejukConnector
from connectors.sejuk.paging import MAX_PAGE, plan
from networks.sejuk.app import create_app
from networks.sejuk.settings import SejukSettings
from networks.testing import on_free_port

KEY = "sejuk-dev-key"
ADMIN = {"Authorization": "Bearer admin-dev-token"}
BASE = "http://network"

Search = Callable[[Any, str | None, int], Awaitable[Page[Any]]]


def sejuk_app(data_dir: Path) -> Starlette:
    return create_app(SejukSettings(data_dir=data_dir, products=150, seed=7))


def sejuk_connector(
    base_url: str = BASE,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    key: str = KEY,
    timeout: float = 2.0,
) -> SejukConnector:
    config = ConnectorConfig(
        code="sejuk", kind="sejuk", base_url=base_url, credentials={"api_key": key}, timeout=timeout
    )
    connector = build_connector(config, transport=transport)
    assert isinstance(connector, SejukConnector)
    return connector


@pytest.fixture
async def sejuk_network(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = sejuk_app(tmp_path)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def sejuk(sejuk_network: Starlette) -> AsyncIterator[SejukConnector]:
    connector = sejuk_connector(transport=httpx.ASGITransport(app=sejuk_network))
    yield connector
    await connector.aclose()


@pytest.fixture
async def sejuk_native(sejuk_network: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The network itself, as a partner (``X-API-Key``) with admin calls on the side."""
    transport = httpx.ASGITransport(app=sejuk_network)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE, headers={"X-API-Key": KEY}
    ) as client:
        yield client


async def walk(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item the network itself lists for ``params``."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        r = await client.get(path, params={**params, "halaman": page, "per_halaman": 100})
        assert r.status_code == 200, r.text
        items += r.json()["data"]
        if page >= r.json()["total_halaman"]:
            return items
        page += 1


async def collect(search: Search, query: Any, limit: int = 100) -> list[Any]:
    items: list[Any] = []
    after: str | None = None
    while True:
        page = await search(query, after, limit)
        items += page.items
        if not page.has_more:
            return items
        after = page.positions[-1]


async def requests_served(client: httpx.AsyncClient) -> dict[str, int]:
    body = (await client.get("/admin/requests", headers=ADMIN)).json()
    by_route: dict[str, int] = body["by_route"]
    return by_route


async def reset_requests(client: httpx.AsyncClient) -> None:
    assert (await client.delete("/admin/requests", headers=ADMIN)).status_code == 200


async def set_faults(client: httpx.AsyncClient, **faults: Any) -> None:
    assert (await client.put("/admin/faults", json=faults, headers=ADMIN)).status_code == 200


def ids_of(items: list[Any]) -> list[str]:
    return [str(item.id if hasattr(item, "id") else item["id"]) for item in items]


@pytest.mark.parametrize(
    ("query", "native"),
    [
        (ProductQuery(), {}),
        (ProductQuery(text="beras"), {"q": "beras"}),
        (ProductQuery(category="minyak-goreng"), {"kategori": "minyak-goreng"}),
        (ProductQuery(region_code="32"), {"wilayah": "32"}),
        (ProductQuery(region_code="32.73"), {"wilayah": "32.73"}),
        (ProductQuery(min_price=20_000), {"harga_min": 20_000}),
        (ProductQuery(max_price=15_000), {"harga_maks": 15_000}),
        (ProductQuery(in_stock=True), {"ada_stok": "true"}),
        (ProductQuery(in_stock=False), {"ada_stok": "false"}),
        (ProductQuery(supplier_id="2"), {"pemasok_id": 2}),
        (
            ProductQuery(text="a", min_price=5_000, max_price=60_000, in_stock=True),
            {"q": "a", "harga_min": 5_000, "harga_maks": 60_000, "ada_stok": "true"},
        ),
    ],
)
async def test_product_filters_are_pushed_down(
    sejuk: SejukConnector,
    sejuk_native: httpx.AsyncClient,
    query: ProductQuery,
    native: dict[str, Any],
) -> None:
    expected = await walk(sejuk_native, "/api/v1/produk", **native)
    await reset_requests(sejuk_native)
    found = await collect(sejuk.search_products, query)
    assert ids_of(found) == ids_of(expected)
    calls = max(1, -(-len(expected) // 100))
    assert await requests_served(sejuk_native) == {"GET /api/v1/produk": calls}


@pytest.mark.parametrize(
    "query",
    [
        ProductQuery(region_code="Bandung"),
        ProductQuery(supplier_id="pemasok-1"),
        ProductQuery(max_price=-1),
        ProductQuery(category="x" * 60),
    ],
)
async def test_product_values_sejuk_cannot_hold_match_nothing(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient, query: ProductQuery
) -> None:
    await reset_requests(sejuk_native)
    page = await sejuk.search_products(query, None, 10)
    assert page == Page((), (), has_more=False)
    assert await requests_served(sejuk_native) == {}


async def test_products_map_to_canonical_records(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient
) -> None:
    native = {p["id"]: p for p in await walk(sejuk_native, "/api/v1/produk")}
    records = await collect(sejuk.search_products, ProductQuery())
    assert len(records) == len(native) == 150
    for record in records:
        p = native[int(record.id)]
        assert (record.network, record.name, record.category) == ("sejuk", p["nama"], p["kategori"])
        assert (record.unit, record.price, record.stock) == (p["satuan"], p["harga"], p["stok"])
        assert (record.min_order, record.supplier_id) == (p["minimal_pesan"], str(p["pemasok_id"]))
        assert (record.region_code, record.description) == (p["kode_wilayah"], p["deskripsi"])
        assert record.tiers == tuple(PriceTier(t["minimal"], t["harga"]) for t in p["harga_grosir"])
    big = next(r for r in records if r.supplier_id == "1")
    assert [t.min_quantity for t in big.tiers] == [10, 50, 200]
    assert all(t.unit_price < big.price for t in big.tiers)
    assert any(r.category == "minyak-goreng" for r in records)
    assert all(r.tiers == () for r in records if int(r.supplier_id) > 3)


@pytest.mark.parametrize(
    ("query", "native"),
    [
        (SupplierQuery(), {}),
        (SupplierQuery(text="PT"), {"q": "PT"}),
        (SupplierQuery(kbli="10613"), {"kbli": "10613"}),
        # SEJUK matches whole codes only: a prefix is the hub's to filter.
        (SupplierQuery(kbli="10"), {}),
        (SupplierQuery(scale=Scale.MIKRO), {"skala": "mikro"}),
        (SupplierQuery(region_codes=("32.73",)), {"wilayah": "32.73"}),
        (SupplierQuery(certifications=(CertificationKind.HALAL,)), {"sertifikasi": "halal"}),
        # Several regions or certifications are the hub's to filter: nothing is pushed down.
        (SupplierQuery(region_codes=("32.73", "32.04")), {}),
        (SupplierQuery(certifications=(CertificationKind.SNI, CertificationKind.PIRT)), {}),
    ],
)
async def test_supplier_filters_are_pushed_down(
    sejuk: SejukConnector,
    sejuk_native: httpx.AsyncClient,
    query: SupplierQuery,
    native: dict[str, Any],
) -> None:
    expected = await walk(sejuk_native, "/api/v1/pemasok", **native)
    assert expected
    assert ids_of(await collect(sejuk.search_suppliers, query)) == ids_of(expected)


async def test_suppliers_map_with_partners(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient
) -> None:
    native = {s["id"]: s for s in await walk(sejuk_native, "/api/v1/pemasok")}
    links = await walk(sejuk_native, "/api/v1/kemitraan")
    await reset_requests(sejuk_native)
    records = await collect(sejuk.search_suppliers, SupplierQuery())
    served = await requests_served(sejuk_native)
    assert served == {"GET /api/v1/pemasok": 1}
    for record in records:
        s = native[int(record.id)]
        assert (record.nib, record.name, record.region_code) == (
            s["nib"],
            s["nama"],
            s["kode_wilayah"],
        )
        assert record.kbli == (s["kbli"], *s["kbli_lain"])
        assert record.scale == Scale(s["skala_usaha"])
        assert [(c.kind.value, c.number) for c in record.certifications] == [
            (c["jenis"], c["nomor"]) for c in s["sertifikasi"]
        ]
        assert record.verified is None
        partners = sorted({k["koperasi_id"] for k in links if k["pemasok_id"] == s["id"]})
        assert record.partner_cooperative_ids == tuple(map(str, partners))
    assert [r.id for r in records if r.partner_cooperative_ids] == ["1", "2", "3"]


async def test_partnerships_of_many_cooperatives_in_one_request(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient
) -> None:
    links = await walk(sejuk_native, "/api/v1/kemitraan")
    holders = sorted({k["koperasi_id"] for k in links})
    await reset_requests(sejuk_native)
    wanted = [str(i) for i in range(1, max(holders) + 2)]
    found = await sejuk.get_partnerships(wanted)
    assert await requests_served(sejuk_native) == {"GET /api/v1/kemitraan": 1}
    assert sorted(found, key=int) == [str(h) for h in holders]
    for cooperative_id, records in found.items():
        native = [k for k in links if k["koperasi_id"] == int(cooperative_id)]
        assert [(r.mou_number, r.supplier_id, r.categories) for r in records] == [
            (k["nomor_mou"], str(k["pemasok_id"]), tuple(k["kategori"])) for k in native
        ]
        assert all(r.valid_from < r.valid_until for r in records)


@pytest.mark.parametrize(
    ("query", "native"),
    [
        (CooperativeQuery(), {}),
        (CooperativeQuery(text="KSU"), {"q": "KSU"}),
        (CooperativeQuery(type="pesantren"), {"jenis": "pesantren"}),
        (CooperativeQuery(region_code="32.73"), {"wilayah": "32.73"}),
    ],
)
async def test_cooperative_search(
    sejuk: SejukConnector,
    sejuk_native: httpx.AsyncClient,
    query: CooperativeQuery,
    native: dict[str, Any],
) -> None:
    expected = await walk(sejuk_native, "/api/v1/koperasi", **native)
    assert expected
    found = await collect(sejuk.search_cooperatives, query)
    assert ids_of(found) == ids_of(expected)
    by_id = {k["id"]: k for k in expected}
    for record in found:
        k = by_id[int(record.id)]
        assert (record.name, record.type, record.region_code) == (
            k["nama"],
            k["jenis"],
            k["kode_wilayah"],
        )
        assert (record.member_count, record.address) == (k["jumlah_anggota"], k["alamat"])
    assert await sejuk.search_cooperatives(CooperativeQuery(type="bank"), None, 5) == Page(
        (), (), has_more=False
    )


@pytest.mark.parametrize(
    ("method", "query"),
    [
        ("search_products", ProductQuery()),
        ("search_products", ProductQuery(in_stock=True)),
        ("search_suppliers", SupplierQuery()),
        ("search_cooperatives", CooperativeQuery()),
    ],
)
async def test_paging_any_prefix_resumes_exactly(
    sejuk: SejukConnector, method: str, query: Any
) -> None:
    search: Search = getattr(sejuk, method)
    everything = ids_of(await collect(search, query))
    seen: list[str] = []
    after: str | None = None
    prefixes = [7, 3, 1, 5, 2, 6, 4]
    turn = 0
    while True:
        page = await search(query, after, 7)
        assert len(page.items) == len(page.positions) <= 7
        if not page.has_more:
            seen += ids_of(list(page.items))
            break
        k = prefixes[turn % len(prefixes)]
        turn += 1
        seen += ids_of(list(page.items[:k]))
        after = page.positions[k - 1]
    assert seen == everything
    assert len(set(seen)) == len(seen)
    assert turn >= len(everything) // 7 // 2


async def test_a_window_straddling_pages_takes_two_calls_at_most(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient
) -> None:
    everything = ids_of(await collect(sejuk.search_products, ProductQuery()))
    for offset, limit in [(0, 100), (37, 100), (99, 2), (140, 50), (13, 7)]:
        await reset_requests(sejuk_native)
        page = await sejuk.search_products(ProductQuery(), str(offset) if offset else None, limit)
        assert ids_of(list(page.items)) == everything[offset : offset + limit]
        assert page.has_more == (offset + limit < len(everything))
        assert (await requests_served(sejuk_native))["GET /api/v1/produk"] <= 2


def test_plan_covers_every_window_with_one_page_when_a_size_fits() -> None:
    for offset in range(0, 400, 3):
        for limit in (1, 2, 7, 20, 50, 99, 100):
            size, pages = plan(offset, limit)
            start, end = (pages[0] - 1) * size, pages[-1] * size
            assert start <= offset
            assert offset + limit <= end
            fits = [
                s for s in range(limit, MAX_PAGE + 1) if offset // s == (offset + limit - 1) // s
            ]
            assert len(pages) == (1 if fits else 2)


async def test_foreign_position_is_rejected(sejuk: SejukConnector) -> None:
    for position in ("abc", "-1", "007", "1.5"):
        with pytest.raises(NetworkRejected):
            await sejuk.search_products(ProductQuery(), position, 5)


async def test_batch_gets_take_one_call_and_skip_unknown_ids(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient
) -> None:
    await reset_requests(sejuk_native)
    products = await sejuk.get_products(["3", "1", "99999", "abc", "0", "01", "3"])
    assert sorted(products) == ["1", "3"]
    assert products["1"].supplier_id == "1"
    assert await requests_served(sejuk_native) == {"GET /api/v1/produk": 1}

    await reset_requests(sejuk_native)
    suppliers = await sejuk.get_suppliers(["2", "10", "88888"])
    assert sorted(suppliers, key=int) == ["2", "10"]
    assert suppliers["2"].partner_cooperative_ids
    assert suppliers["10"].partner_cooperative_ids == ()
    served = await requests_served(sejuk_native)
    assert served == {"GET /api/v1/pemasok": 1}

    await reset_requests(sejuk_native)
    cooperatives = await sejuk.get_cooperatives(["5", "1", "777"])
    assert sorted(cooperatives) == ["1", "5"]
    assert await requests_served(sejuk_native) == {"GET /api/v1/koperasi": 1}

    await reset_requests(sejuk_native)
    assert await sejuk.get_products([]) == {}
    assert await sejuk.get_suppliers(["nope"]) == {}
    assert await requests_served(sejuk_native) == {}


async def test_batches_beyond_the_limit_are_chunked(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient
) -> None:
    await reset_requests(sejuk_native)
    products = await sejuk.get_products([str(n) for n in range(1, 181)])
    assert sorted(products, key=int) == [str(n) for n in range(1, 151)]
    assert await requests_served(sejuk_native) == {"GET /api/v1/produk": 2}


async def test_find_suppliers_by_nib(
    sejuk: SejukConnector, sejuk_native: httpx.AsyncClient
) -> None:
    native = await walk(sejuk_native, "/api/v1/pemasok")
    wanted = [native[0], native[7], native[-1]]
    await reset_requests(sejuk_native)
    found = await sejuk.find_suppliers_by_nib(
        [*(s["nib"] for s in wanted), "9999999999999", "12-34", ""]
    )
    assert {nib: s.id for nib, s in found.items()} == {s["nib"]: str(s["id"]) for s in wanted}
    assert found[native[0]["nib"]].partner_cooperative_ids
    served = await requests_served(sejuk_native)
    assert served == {"GET /api/v1/pemasok": 1}
    await reset_requests(sejuk_native)
    assert await sejuk.find_suppliers_by_nib(["not-a-nib"]) == {}
    assert await requests_served(sejuk_native) == {}


async def test_capabilities(sejuk: SejukConnector) -> None:
    caps = sejuk.capabilities
    assert caps.product_filters == {
        "text",
        "category",
        "region_code",
        "min_price",
        "max_price",
        "in_stock",
        "supplier_id",
    }
    assert caps.supplier_filters == {"text", "kbli", "scale"}
    assert caps.cooperative_filters == {"text", "type", "region_code"}
    assert caps.max_page_size == 100
    assert sejuk.code == "sejuk"


async def test_health_and_bad_credentials(sejuk_network: Starlette, sejuk: SejukConnector) -> None:
    await sejuk.health()
    stranger = sejuk_connector(transport=httpx.ASGITransport(app=sejuk_network), key="salah")
    with pytest.raises(NetworkRejected) as caught:
        await stranger.health()
    assert caught.value.status == 401
    with pytest.raises(NetworkRejected):
        await stranger.get_products(["1"])
    await stranger.aclose()
    with pytest.raises(ValueError, match="api_key"):
        sejuk_connector(key="")


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"down": "503"}, NetworkUnavailable),
        ({"error_rate": 1}, NetworkUnavailable),
        ({"malformed_rate": 1}, NetworkProtocolError),
    ],
)
async def test_faults_map_to_the_error_tree(
    sejuk: SejukConnector,
    sejuk_native: httpx.AsyncClient,
    faults: dict[str, Any],
    error: type[Exception],
) -> None:
    await set_faults(sejuk_native, **faults)
    with pytest.raises(error):
        await sejuk.health()
    with pytest.raises(error):
        await sejuk.search_products(ProductQuery(), None, 10)
    with pytest.raises(error):
        await sejuk.get_suppliers(["1"])
    await sejuk_native.delete("/admin/faults", headers=ADMIN)
    await sejuk.health()


@pytest.mark.parametrize(
    "body",
    [
        {"data": [{"id": "1", "nama": "Beras"}], "total": 1},
        {"data": None, "total": 1},
        {"galat": {"kode": "X", "pesan": "y"}},
        [1, 2, 3],
    ],
)
async def test_wrong_shaped_answers_are_protocol_errors(body: Any) -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=body))
    connector = sejuk_connector(transport=transport)
    with pytest.raises(NetworkProtocolError):
        await connector.search_products(ProductQuery(), None, 10)
    with pytest.raises(NetworkProtocolError):
        await connector.get_cooperatives(["1"])
    await connector.aclose()


async def test_over_real_http_with_timeout(tmp_path: Path) -> None:
    app = sejuk_app(tmp_path)
    async with on_free_port(app) as url, httpx.AsyncClient(base_url=url) as admin:
        fast = sejuk_connector(url, timeout=0.2)
        await fast.health()
        page = await fast.search_products(ProductQuery(category="beras"), None, 5)
        assert len(page.items) == 5
        assert {p.category for p in page.items} == {"beras"}
        await set_faults(admin, latency_ms=1000)
        with pytest.raises(NetworkTimeout):
            await fast.health()
        await admin.delete("/admin/faults", headers=ADMIN)
        await fast.aclose()


async def test_nothing_listening_is_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connector = sejuk_connector(f"http://127.0.0.1:{port}")
    with pytest.raises(NetworkUnavailable):
        await connector.health()
    await connector.aclose()


async def test_partnerships_over_a_page_are_all_read(tmp_path: Path) -> None:
    app = create_app(SejukSettings(data_dir=tmp_path, products=12_000, seed=7))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url=BASE, headers={"X-API-Key": KEY}) as native,
    ):
        links = await walk(native, "/api/v1/kemitraan", pemasok_id="1,2,3")
        assert len(links) > 100
        connector = sejuk_connector(transport=transport)
        await reset_requests(native)
        suppliers = await connector.get_suppliers(["1", "2", "3"])
        for supplier_id, record in suppliers.items():
            partners = sorted(
                {k["koperasi_id"] for k in links if str(k["pemasok_id"]) == supplier_id}
            )
            assert record.partner_cooperative_ids == tuple(map(str, partners))
        served = await requests_served(native)
        assert served == {"GET /api/v1/pemasok": 1}
        await connector.aclose()
