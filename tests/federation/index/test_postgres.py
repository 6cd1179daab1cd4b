"""The catalog index on PostgreSQL: tsvector columns, GIN indexes, postings in key order."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import ColumnElement, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.records import CertificationKind, ProductQuery
from federation.hub import Federation
from federation.index import CatalogSync, IndexSearch, fts, postings
from federation.index.fts import Tier
from federation.index.tables import catalog_products
from federation.index.text import parse
from federation.ranking import ProductSort
from tests.connectors.changes_contract import catalogue
from tests.federation.index import scenarios
from tests.support.catalog_admin import new_product, put_request
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.postgres


async def test_a_full_load_equals_the_networks(
    postgres_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.full_load_equals_the_networks(postgres_engine, federation)


async def test_an_update_an_insert_and_a_delete_arrive_with_the_next_sync(
    postgres_engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    await scenarios.changes_arrive_with_the_next_sync(postgres_engine, federation, networks)


async def test_suppliers_and_cooperatives_are_reread_every_directory_interval(
    postgres_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.directory_is_reread_every_interval(postgres_engine, federation)


async def test_a_network_down_during_sync_keeps_its_data_marked_stale(
    postgres_engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    await scenarios.a_failing_network_keeps_its_data(postgres_engine, federation, networks)


async def test_search_answers_while_every_network_is_down(
    postgres_engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    await scenarios.search_answers_with_every_network_down(postgres_engine, federation, networks)


async def test_indonesian_queries_rank_the_expected_products_first(
    postgres_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.indonesian_queries_rank_the_expected_products_first(postgres_engine, federation)


async def test_paging_walks_one_ordered_result_with_facets_over_all_of_it(
    postgres_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.paging_walks_one_ordered_result(postgres_engine, federation)


async def test_filters_mean_what_the_live_path_means(
    postgres_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.filters_mean_what_the_live_path_means(postgres_engine, federation)


async def test_suppliers_are_one_per_nib_as_on_the_live_path(
    postgres_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.suppliers_are_one_per_nib_as_on_the_live_path(postgres_engine, federation)


# --- postings ---------------------------------------------------------------------------

# What the triggers should have written: every product's terms, computed afresh.
_POSTINGS_DIFFER = text(
    """
    SELECT count(*) FROM (
        (SELECT term, key FROM catalog_terms
         EXCEPT SELECT t.term, p.key FROM catalog_products p
             CROSS JOIN LATERAL catalog_terms_of(p.search_name, p.search_body, p.category) t(term))
        UNION ALL
        (SELECT t.term, p.key FROM catalog_products p
             CROSS JOIN LATERAL catalog_terms_of(p.search_name, p.search_body, p.category) t(term)
         EXCEPT SELECT term, key FROM catalog_terms)
    ) differing
    """
)


async def test_postings_follow_every_insert_price_change_and_delete(
    postgres_engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    sync = CatalogSync(postgres_engine, federation.connectors)
    await sync.sync()
    for connector in federation.connectors:
        listed = await catalogue(connector)
        ids = sorted(listed)
        repriced = replace(listed[ids[0]], price=listed[ids[0]].price * 3, stock=1)
        renamed = replace(listed[ids[3]], name="Gula Aren Cair Botol")
        added = new_product(listed[ids[2]], f"Kopi Luwak Liar {connector.code}")
        for product in (repriced, renamed, added):
            path, body = put_request(product)
            await networks.admin(connector.code, "PUT", path, body)
        await scenarios.delete_at_network(networks, connector.code, ids[1])
    results = await sync.sync()
    assert all(r.ok and r.upserted == 3 and r.deleted == 1 for r in results)
    async with postgres_engine.connect() as conn:
        assert await conn.scalar(_POSTINGS_DIFFER) == 0
        assert await conn.scalar(text("SELECT count(*) FROM catalog_terms")) > 0
    luwak = await scenarios.everything(postgres_engine, IndexSearch(ProductQuery(text="luwak")))
    assert len(luwak) == 3


async def ranked_by_gin(engine: AsyncEngine, search: IndexSearch) -> list[tuple[str, str]]:
    """The search's whole result as GIN conditions rank it in one sorted statement: the
    reference the postings must reproduce page by page."""
    query = parse(search.query.text)
    filters = fts.Filters(search.query, search.networks, search.certifications)
    p = catalog_products.c
    conditions = [fts.postgres_condition(query, Tier.ALL, filters)]
    supplier = fts.supplier_condition(filters)
    if supplier is not None:
        conditions.append(supplier)
    low, high = filters.key_range()
    if low is not None:
        conditions.append(p.key >= low)
    if high is not None:
        conditions.append(p.key <= high)
    order: list[ColumnElement[object]] = [p.key]
    if search.sort is ProductSort.PRICE_DESC:
        order = [p.key.desc()]
    elif search.sort is ProductSort.RELEVANCE and not query.empty:
        order = [fts.postgres_tier(query), p.key]
    statement = select(p.network, p.id).where(*conditions).order_by(*order)
    async with engine.connect() as conn:
        return [(row.network, row.id) for row in await conn.execute(statement)]


SEARCHES = (
    IndexSearch(ProductQuery(text="beras")),
    IndexSearch(ProductQuery(text="beras premium 5 kg")),
    IndexSearch(ProductQuery(text="migor")),
    IndexSearch(ProductQuery(text="minyak goreng")),
    IndexSearch(ProductQuery(text="kopi arab")),
    IndexSearch(ProductQuery(text="gula aren", in_stock=True)),
    IndexSearch(ProductQuery(text="produksi")),  # every product: all in the description
    IndexSearch(ProductQuery(text="keripik pedas", region_code="32")),
    IndexSearch(ProductQuery(text="telor ayam negeri")),
    IndexSearch(ProductQuery(text="teh", category="teh", max_price=20_000)),
    IndexSearch(ProductQuery(text="sabun", min_price=5_000), networks=("padi", "sejuk")),
    IndexSearch(ProductQuery(text="kopi"), certifications=(CertificationKind.HALAL,)),
    IndexSearch(ProductQuery(text="beras"), sort=ProductSort.PRICE_DESC),
    IndexSearch(ProductQuery(text="kopi arab"), sort=ProductSort.PRICE_ASC),
    IndexSearch(ProductQuery(category="kopi", region_code="32")),
    IndexSearch(ProductQuery(category="beras", in_stock=True), sort=ProductSort.PRICE_DESC),
    IndexSearch(ProductQuery(text="tidak ada barang seperti ini")),
)


async def test_postings_read_exactly_what_gin_ranks_page_after_page(
    postgres_engine: AsyncEngine, federation: Federation
) -> None:
    await CatalogSync(postgres_engine, federation.connectors).sync()
    for search in SEARCHES:
        walked = await scenarios.everything(postgres_engine, search, first=4)
        assert [(p.network, p.id) for p in walked] == await ranked_by_gin(
            postgres_engine, search
        ), search


async def test_a_prefix_of_too_many_words_is_ranked_by_gin_instead(
    postgres_engine: AsyncEngine, federation: Federation, monkeypatch: pytest.MonkeyPatch
) -> None:
    await CatalogSync(postgres_engine, federation.connectors).sync()
    monkeypatch.setattr(postings, "MAX_EXPANSIONS", 1)
    for search in (
        IndexSearch(ProductQuery(text="ker")),  # keripik, kerupuk, kering ...
        IndexSearch(ProductQuery(text="ker"), sort=ProductSort.PRICE_DESC),
    ):
        walked = await scenarios.everything(postgres_engine, search, first=5)
        assert walked
        assert [(p.network, p.id) for p in walked] == await ranked_by_gin(
            postgres_engine, search
        ), search
