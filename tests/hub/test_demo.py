"""The queries ``hub demo`` prints run cleanly against the live networks."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.demo import EXAMPLE_QUERIES
from resolvers.context import Context
from schema import build_schema
from tests.support.live import federation_over, live_networks


@pytest.mark.parametrize(("title", "query"), EXAMPLE_QUERIES, ids=[t for t, _ in EXAMPLE_QUERIES])
async def test_example_query_answers_without_errors(tmp_path: Path, title: str, query: str) -> None:
    async with (
        live_networks(tmp_path, products=80) as networks,
        federation_over(networks) as federation,
    ):
        result = await build_schema().execute(query, context_value=Context(federation))
    assert result.errors is None, (title, result.errors)
    assert result.data
    first_field = next(iter(result.data.values()))
    assert first_field, title
