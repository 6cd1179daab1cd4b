"""The index's behaviour, written once and run on SQLite and on PostgreSQL.

Each scenario takes live reference networks (over HTTP), a federation of real
connectors, and an engine on a freshly migrated hub database.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.base import Connector
from connectors.records import (
    CertificationKind,
    CooperativeQuery,
    CooperativeRecord,
    ProductQuery,
    ProductRecord,
    Scale,
    SupplierQuery,
    SupplierRecord,
)
from federation.filters import has_certifications, product_matches
from federation.hub import Federation
from federation.index import (
    CatalogSync,
    IndexSearch,
    SyncProgress,
    SyncStage,
    freshness,
    product_facets,
    search_products,
)
from federation.index.rows import cooperative_record, product_record, supplier_record
from federation.index.suppliers import IndexSupplierSearch, listings
from federation.index.suppliers import search_suppliers as search_index_suppliers
from federation.index.tables import catalog_cooperatives, catalog_products, catalog_suppliers
from federation.loaders import Loaders
from federation.ranking import ProductSort
from federation.suppliers import SupplierSearch, search_suppliers
from resolvers.paging import page_result
from tests.connectors.changes_contract import catalogue
from tests.support.catalog_admin import delete_path, new_product, put_request
from tests.support.live import ADMIN, LiveNetworks


async def listed(connector: Connector, kind: str) -> dict[str, Any]:
    """Every supplier or cooperative a network lists, by id."""
    found: dict[str, Any] = {}
    after: str | None = None
    while True:
        if kind == "suppliers":
            page: Any = await connector.search_suppliers(SupplierQuery(), after, 100)
        else:
            page = await connector.search_cooperatives(CooperativeQuery(), after, 100)
        found.update({item.id: item for item in page.items})
        if not page.has_more or not page.items:
            return found
        after = page.positions[-1]


async def indexed(
    engine: AsyncEngine,
) -> tuple[
    dict[tuple[str, str], ProductRecord],
    dict[tuple[str, str], SupplierRecord],
    dict[tuple[str, str], CooperativeRecord],
]:
    async with engine.connect() as conn:
        products = (await conn.execute(select(catalog_products))).mappings().all()
        suppliers = (await conn.execute(select(catalog_suppliers))).mappings().all()
        coops = (await conn.execute(select(catalog_cooperatives))).mappings().all()
    return (
        {(r["network"], r["id"]): product_record(r) for r in products},
        {(r["network"], r["id"]): supplier_record(r) for r in suppliers},
        {(r["network"], r["id"]): cooperative_record(r) for r in coops},
    )


async def assert_index_equals_networks(engine: AsyncEngine, federation: Federation) -> None:
    products, suppliers, coops = await indexed(engine)
    for connector in federation.connectors:
        code = connector.code
        assert {i: p for (n, i), p in products.items() if n == code} == await catalogue(connector)
        assert {i: s for (n, i), s in suppliers.items() if n == code} == await listed(
            connector, "suppliers"
        )
        assert {i: c for (n, i), c in coops.items() if n == code} == await listed(
            connector, "cooperatives"
        )


async def everything(engine: AsyncEngine, search: IndexSearch, first: int = 50) -> list[Any]:
    """Every product a search finds, page by page."""
    found: list[ProductRecord] = []
    after: str | None = None
    while True:
        page = await search_products(engine, search, first, after)
        found.extend(record for record, _ in page.items)
        if not page.has_next:
            return found
        after = page.end_cursor


async def full_load_equals_the_networks(engine: AsyncEngine, federation: Federation) -> None:
    seen: list[SyncProgress] = []
    results = await CatalogSync(engine, federation.connectors).sync(progress=seen.append)
    assert [(r.network, r.ok, r.full) for r in results] == [
        (code, True, True) for code in federation.codes
    ]
    assert all(r.upserted > 0 and r.suppliers > 0 and r.cooperatives > 0 for r in results)
    await assert_index_equals_networks(engine, federation)
    stages = {(p.network, p.stage) for p in seen}
    for code in federation.codes:
        assert {(code, s) for s in SyncStage if s is not SyncStage.FAILED} <= stages
    fresh = await freshness(engine, federation.codes, stale_after=60)
    assert [(f.network, f.stale, f.error) for f in fresh] == [
        (code, False, None) for code in federation.codes
    ]
    # A second sync reads nothing new and writes nothing.
    again = await CatalogSync(engine, federation.connectors).sync()
    assert [(r.ok, r.full, r.upserted, r.deleted) for r in again] == [(True, False, 0, 0)] * 3


async def changes_arrive_with_the_next_sync(
    engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    sync = CatalogSync(engine, federation.connectors)
    await sync.sync()
    expected: dict[str, tuple[ProductRecord, ProductRecord, str]] = {}
    for connector in federation.connectors:
        listed_now = await catalogue(connector)
        ids = sorted(listed_now)
        changed = replace(listed_now[ids[0]], price=listed_now[ids[0]].price + 1_000, stock=3)
        added = new_product(listed_now[ids[2]], f"Kopi Arabika Kintamani {connector.code}")
        for product in (changed, added):
            path, body = put_request(product)
            await networks.admin(connector.code, "PUT", path, body)
        await delete_at_network(networks, connector.code, ids[1])
        expected[connector.code] = (changed, added, ids[1])

    results = await sync.sync()
    assert [(r.ok, r.full, r.upserted, r.deleted) for r in results] == [(True, False, 2, 1)] * 3
    await assert_index_equals_networks(engine, federation)
    products, _, _ = await indexed(engine)
    for code, (changed, added, gone) in expected.items():
        assert products[(code, changed.id)].price == changed.price
        assert products[(code, added.id)].name == added.name
        assert (code, gone) not in products
    found = await everything(engine, IndexSearch(ProductQuery(text="kintamani")))
    assert sorted((p.network, p.id) for p in found) == sorted(
        (code, added.id) for code, (_, added, _) in expected.items()
    )


async def delete_at_network(networks: LiveNetworks, code: str, product_id: str) -> None:
    async with httpx.AsyncClient(base_url=networks.urls[code], headers=ADMIN) as client:
        response = await client.delete(delete_path(code, product_id))
        response.raise_for_status()


async def a_failing_network_keeps_its_data(
    engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    sync = CatalogSync(engine, federation.connectors)
    await sync.sync()
    before = await everything(engine, IndexSearch(ProductQuery(), networks=("tangerang",)))
    assert before
    await networks.set_faults("tangerang", down="503")
    try:
        results = {r.network: r for r in await sync.sync()}
    finally:
        await networks.clear_faults()
    assert not results["tangerang"].ok
    assert results["tangerang"].error
    assert results["sejuk"].ok
    assert results["padi"].ok
    after = await everything(engine, IndexSearch(ProductQuery(), networks=("tangerang",)))
    assert after == before
    fresh = {f.network: f for f in await freshness(engine, federation.codes, stale_after=3600)}
    assert fresh["tangerang"].stale
    assert fresh["tangerang"].error == results["tangerang"].error
    assert fresh["tangerang"].synced_at is not None
    assert fresh["tangerang"].age_seconds is not None
    assert not fresh["sejuk"].stale
    # Once it answers again, the next sync clears the mark.
    assert all(r.ok for r in await sync.sync())
    fresh = {f.network: f for f in await freshness(engine, federation.codes, stale_after=3600)}
    assert not fresh["tangerang"].stale


class Clock:
    """A clock a scenario moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def directory_is_reread_every_interval(engine: AsyncEngine, federation: Federation) -> None:
    clock = Clock()
    sync = CatalogSync(engine, federation.connectors, clock=clock, directory_every=3_600)
    await sync.sync()
    # The index drifts from the networks' directories: a supplier gone, a cooperative
    # renamed, a supplier the network no longer lists.
    _, suppliers, coops = await indexed(engine)
    gone = min(key for key in suppliers if key[0] == "sejuk")
    renamed = min(key for key in coops if key[0] == "padi")
    stray = min(key for key in suppliers if key[0] == "tangerang")
    s, c = catalog_suppliers.c, catalog_cooperatives.c
    async with engine.begin() as conn:
        await conn.execute(delete(catalog_suppliers).where(s.network == gone[0], s.id == gone[1]))
        await conn.execute(
            update(catalog_cooperatives)
            .where(c.network == renamed[0], c.id == renamed[1])
            .values(name="Koperasi Yang Sudah Berganti Nama")
        )
        row = (
            (
                await conn.execute(
                    select(catalog_suppliers).where(s.network == stray[0], s.id == stray[1])
                )
            )
            .mappings()
            .one()
        )
        await conn.execute(insert(catalog_suppliers).values({**row, "id": "tidak-terdaftar"}))

    clock.now += 3_599
    soon = await sync.sync()
    assert [(r.ok, r.suppliers, r.cooperatives) for r in soon] == [(True, 0, 0)] * 3
    _, suppliers, _ = await indexed(engine)
    assert gone not in suppliers

    clock.now += 1
    due = await sync.sync()
    assert all(r.ok and r.suppliers > 0 and r.cooperatives > 0 for r in due)
    await assert_index_equals_networks(engine, federation)
    _, suppliers, _ = await indexed(engine)
    assert gone in suppliers
    assert ("tangerang", "tidak-terdaftar") not in suppliers
    # Another process (or `hub sync`) reads the directory at its first sync.
    fresh = CatalogSync(engine, federation.connectors, directory_every=3_600)
    assert all(r.cooperatives > 0 for r in await fresh.sync())


async def search_answers_with_every_network_down(
    engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    await CatalogSync(engine, federation.connectors).sync()
    for code in federation.codes:
        await networks.set_faults(code, down="503")
    try:
        page = await search_products(engine, IndexSearch(ProductQuery(text="beras")), 10)
        facets = await product_facets(engine, IndexSearch(ProductQuery(text="beras")))
        results = await CatalogSync(engine, federation.connectors).sync()
    finally:
        await networks.clear_faults()
    assert len(page.items) == 10
    assert all("beras" in p.name.lower() or "beras" in p.description.lower() for p, _ in page.items)
    assert facets.total >= 10
    assert not any(r.ok for r in results)


async def indonesian_queries_rank_the_expected_products_first(
    engine: AsyncEngine, federation: Federation
) -> None:
    await CatalogSync(engine, federation.connectors).sync()

    async def top(text: str, n: int = 5) -> list[ProductRecord]:
        page = await search_products(engine, IndexSearch(ProductQuery(text=text)), n)
        return [record for record, _ in page.items]

    premium = await top("beras premium 5 kg")
    assert premium
    assert all(p.name.lower().startswith("beras premium 5 kg") for p in premium)
    migor = await top("migor")
    assert migor
    assert all(p.name.lower().startswith("minyak goreng") for p in migor)
    arabika = await top("kopi arabika")
    assert arabika
    assert all(p.name.lower().startswith("kopi arabika") for p in arabika)
    # Within the best tier, cheaper first.
    assert [p.price for p in arabika] == sorted(p.price for p in arabika)
    # Prefix and spelling: "kopi arab" finds the same first products; "minyak goreng"
    # finds what "migor" finds.
    assert await top("kopi arab") == arabika
    assert await top("minyak goreng") == migor


async def paging_walks_one_ordered_result(engine: AsyncEngine, federation: Federation) -> None:
    await CatalogSync(engine, federation.connectors).sync()
    for search in (
        IndexSearch(ProductQuery(text="kopi")),
        IndexSearch(ProductQuery(text="beras"), sort=ProductSort.PRICE_DESC),
        IndexSearch(ProductQuery(region_code="32", in_stock=True)),
    ):
        whole = (await search_products(engine, search, 500)).items
        walked = await everything(engine, search, first=7)
        assert walked == [record for record, _ in whole]
        assert len({(p.network, p.id) for p in walked}) == len(walked)
        facets = await product_facets(engine, search)
        assert facets.total == len(walked)
        assert sum(f.count for f in facets.networks) == len(walked)
        assert sum(f.count for f in facets.categories) == len(walked)
    prices = [
        p.price
        for p in await everything(
            engine, IndexSearch(ProductQuery(text="beras"), sort=ProductSort.PRICE_ASC)
        )
    ]
    assert prices == sorted(prices)


async def filters_mean_what_the_live_path_means(
    engine: AsyncEngine, federation: Federation
) -> None:
    await CatalogSync(engine, federation.connectors).sync()
    products, suppliers, _ = await indexed(engine)
    some = sorted(products.values(), key=lambda p: (p.network, p.id))[5]
    cases = [
        IndexSearch(ProductQuery(category="kopi")),
        IndexSearch(ProductQuery(region_code="32")),
        IndexSearch(ProductQuery(region_code="36.71", in_stock=False)),
        IndexSearch(ProductQuery(in_stock=True, min_price=20_000, max_price=80_000)),
        IndexSearch(ProductQuery(supplier_id=some.supplier_id)),
        IndexSearch(ProductQuery(category="beras"), networks=("padi", "sejuk")),
        IndexSearch(ProductQuery(), certifications=(CertificationKind.HALAL,)),
        IndexSearch(
            ProductQuery(category="gula"),
            certifications=(CertificationKind.HALAL, CertificationKind.PIRT),
        ),
    ]
    for search in cases:
        expected = {
            key
            for key, p in products.items()
            if product_matches(search.query, p)
            and (search.networks is None or p.network in search.networks)
            and has_certifications(suppliers.get((p.network, p.supplier_id)), search.certifications)
        }
        found = await everything(engine, search, first=100)
        assert {(p.network, p.id) for p in found} == expected, search
        assert (await product_facets(engine, search)).total == len(expected)


async def suppliers_are_one_per_nib_as_on_the_live_path(
    engine: AsyncEngine, federation: Federation
) -> None:
    await CatalogSync(engine, federation.connectors).sync()
    cases = [
        IndexSupplierSearch(SupplierQuery()),
        IndexSupplierSearch(SupplierQuery(text="jaya")),
        IndexSupplierSearch(SupplierQuery(region_codes=("32", "36.71"), scale=Scale.MIKRO)),
        # A whole KBLI code: the live path's SEJUK connector matches nothing for a prefix
        # (connectors/sejuk/query.py), where federation.filters means a prefix.
        IndexSupplierSearch(SupplierQuery(kbli="10761", certifications=(CertificationKind.HALAL,))),
        IndexSupplierSearch(SupplierQuery(verified_only=True)),
        IndexSupplierSearch(SupplierQuery(), networks=("tangerang", "padi")),
    ]
    for search in cases:
        found: list[SupplierRecord] = []
        after: str | None = None
        while True:
            page = await search_index_suppliers(engine, search, federation.codes, 9, after)
            found.extend(record for record, _ in page.items)
            if not page.has_next:
                break
            after = page.end_cursor
        live: list[SupplierRecord] = []
        live_after: str | None = None
        loaders = Loaders(federation)
        request = SupplierSearch(search.query, search.networks)
        while True:
            result = page_result(
                await search_suppliers(federation, loaders, request, 100, live_after),
                request.fingerprint(),
                live_after,
            )
            live.extend(record for record, _ in result.items)
            if not result.has_next:
                break
            live_after = result.end_cursor
        assert found, search
        got, want = {(s.nib, s.network) for s in found}, {(s.nib, s.network) for s in live}
        assert got == want, (search, sorted(got - want)[:5], sorted(want - got)[:5])
        assert len({s.nib for s in found}) == len(found)
        keys = [(s.name.casefold(), s.nib) for s in found]
        assert keys == sorted(keys)
    some = found[0]
    listed = await listings(engine, [some.nib], federation.codes)
    assert listed[some.nib] == tuple(await Loaders(federation).listings.load(some.nib))
