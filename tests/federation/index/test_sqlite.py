"""The catalog index on the embedded default, SQLite with FTS5."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from federation.hub import Federation
from tests.federation.index import scenarios
from tests.support.live import LiveNetworks


async def test_a_full_load_equals_the_networks(
    sqlite_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.full_load_equals_the_networks(sqlite_engine, federation)


async def test_an_update_an_insert_and_a_delete_arrive_with_the_next_sync(
    sqlite_engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    await scenarios.changes_arrive_with_the_next_sync(sqlite_engine, federation, networks)


async def test_suppliers_and_cooperatives_are_reread_every_directory_interval(
    sqlite_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.directory_is_reread_every_interval(sqlite_engine, federation)


async def test_a_network_down_during_sync_keeps_its_data_marked_stale(
    sqlite_engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    await scenarios.a_failing_network_keeps_its_data(sqlite_engine, federation, networks)


async def test_search_answers_while_every_network_is_down(
    sqlite_engine: AsyncEngine, federation: Federation, networks: LiveNetworks
) -> None:
    await scenarios.search_answers_with_every_network_down(sqlite_engine, federation, networks)


async def test_indonesian_queries_rank_the_expected_products_first(
    sqlite_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.indonesian_queries_rank_the_expected_products_first(sqlite_engine, federation)


async def test_paging_walks_one_ordered_result_with_facets_over_all_of_it(
    sqlite_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.paging_walks_one_ordered_result(sqlite_engine, federation)


async def test_filters_mean_what_the_live_path_means(
    sqlite_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.filters_mean_what_the_live_path_means(sqlite_engine, federation)


async def test_suppliers_are_one_per_nib_as_on_the_live_path(
    sqlite_engine: AsyncEngine, federation: Federation
) -> None:
    await scenarios.suppliers_are_one_per_nib_as_on_the_live_path(sqlite_engine, federation)
