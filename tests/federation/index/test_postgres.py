"""The catalog index on PostgreSQL: tsvector columns, GIN indexes."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from federation.hub import Federation
from tests.federation.index import scenarios
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
