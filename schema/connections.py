"""Connections shared by the root fields: pages of suppliers and cooperatives, page info."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from federation.index import Freshness
from resolvers.paging import PageResult
from schema.common import NetworkResult, PageInfo
from schema.cooperatives import CooperativeEdge
from schema.suppliers import SupplierEdge

T = TypeVar("T")
FIRST = "How many items, at most (0-100)."
AFTER = "A cursor from a previous page: `pageInfo.endCursor` or an edge's `cursor`."


@strawberry.type(description="A page of suppliers, one per NIB.")
class SupplierConnection:
    edges: list[SupplierEdge] = strawberry.field(description="The suppliers.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    networks: list[NetworkResult] = strawberry.field(description="How each network answered.")


@strawberry.type(description="A page of cooperatives.")
class CooperativeConnection:
    edges: list[CooperativeEdge] = strawberry.field(description="The cooperatives.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    networks: list[NetworkResult] = strawberry.field(description="How each network answered.")


def page_info(result: PageResult[T]) -> PageInfo:
    return PageInfo(
        has_next_page=result.has_next,
        has_previous_page=result.started_after,
        start_cursor=result.items[0][1] if result.items else None,
        end_cursor=result.end_cursor,
    )


def network_results(
    result: PageResult[T], freshness: tuple[Freshness, ...] | None = None
) -> list[NetworkResult]:
    """How each network took part: its live outcome, or its freshness in the index."""
    if freshness is not None:
        return [NetworkResult.indexed(f) for f in freshness]
    return [NetworkResult.of(o) for o in result.outcomes]
