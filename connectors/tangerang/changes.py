"""Tangerang's item change feed (``GET /v2/catalog/changes``) as canonical changes.

The marker is Tangerang's own opaque ``next_cursor``, passed back as it came.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, TypeAdapter

from connectors.errors import NetworkRejected
from connectors.http import JsonClient, parse
from connectors.records import ChangeKind, ChangePage, ProductChange
from connectors.tangerang.filters import MAX_PAGE_SIZE
from connectors.tangerang.native import NativeItem, product_record

CHANGES = "/v2/catalog/changes"


class NativeChange(BaseModel):
    version: int
    item_id: str
    type: Literal["upsert", "delete"]
    item: NativeItem | None


class NativeChangePage(BaseModel):
    changes: list[NativeChange]
    next_cursor: str
    has_more: bool


CHANGE_PAGE = TypeAdapter(NativeChangePage)


async def product_changes(
    network: str, client: JsonClient, after: str | None, limit: int
) -> ChangePage:
    """Up to ``limit`` changes after the cursor ``after`` (None: from the first)."""
    params = {"limit": str(max(1, min(limit, MAX_PAGE_SIZE)))}
    if after is not None:
        params["cursor"] = after
    try:
        answer = await client.request("GET", CHANGES, params=params)
    except NetworkRejected as error:
        if error.status == 400 and after is not None:
            raise NetworkRejected(
                network,
                f"{after!r} is not a change marker of this network",
                400,
                error.body,
                request_id=error.request_id,
            ) from None
        raise
    page = parse(network, CHANGE_PAGE, answer)
    changes = tuple(_change(network, entry) for entry in page.changes)
    return ChangePage(changes, page.next_cursor, page.has_more)


def _change(network: str, entry: NativeChange) -> ProductChange:
    if entry.type == "delete" or entry.item is None:
        return ProductChange(network, entry.item_id, ChangeKind.DELETED)
    return ProductChange(
        network, entry.item_id, ChangeKind.UPSERTED, product_record(network, entry.item)
    )
