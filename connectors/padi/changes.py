"""PaDi's ``productChanges`` query as canonical changes.

The marker is the last ``version`` read. Each call reads page 1 after it (``since``),
so the ``upTo`` window PaDi offers for walking pages never needs carrying.
"""

from __future__ import annotations

from typing import Literal

from pydantic import TypeAdapter

from connectors.errors import NetworkRejected
from connectors.padi.graphql import GraphQLClient
from connectors.padi.native import Answer, Native, NativeProduct
from connectors.padi.queries import PRODUCT_FIELDS
from connectors.records import ChangeKind, ChangePage, ProductChange

MAX_PAGE_SIZE = 100

PRODUCT_CHANGES = (
    "query($since: Int!, $size: Int!) { result: productChanges(since: $since, page: 1, "
    f"size: $size) {{ total items {{ version productId kind product {{ {PRODUCT_FIELDS} }} }} }} }}"
)


class NativeChange(Native):
    version: int
    product_id: str
    kind: Literal["CHANGED", "DELETED"]
    product: NativeProduct | None


class NativeChangePage(Native):
    total: int
    items: list[NativeChange]


CHANGE_PAGE = TypeAdapter(Answer[NativeChangePage])


async def product_changes(
    network: str, graphql: GraphQLClient, after: str | None, limit: int
) -> ChangePage:
    """Up to ``limit`` changes after version ``after`` (None: from the first)."""
    since = _version(network, after)
    size = max(1, min(limit, MAX_PAGE_SIZE))
    answer = await graphql.execute(PRODUCT_CHANGES, {"since": since, "size": size}, CHANGE_PAGE)
    page = answer.result
    changes = tuple(_change(network, entry) for entry in page.items)
    last = page.items[-1].version if page.items else since
    return ChangePage(
        changes, str(last), has_more=page.total > len(page.items), remaining=page.total
    )


def _change(network: str, entry: NativeChange) -> ProductChange:
    # PaDi shows the product as it is now: a product deleted since is null here too.
    if entry.kind == "DELETED" or entry.product is None:
        return ProductChange(network, entry.product_id, ChangeKind.DELETED)
    return ProductChange(
        network, entry.product_id, ChangeKind.UPSERTED, entry.product.record(network)
    )


def _version(network: str, marker: str | None) -> int:
    if marker is None:
        return 0
    if not marker.isascii() or not marker.isdigit() or str(int(marker)) != marker:
        raise NetworkRejected(network, f"{marker!r} is not a change marker of this network", 400)
    return int(marker)
