"""What every connector's ``product_changes`` must do, run against each reference network.

The network packages call these with a connector and an ``Admin`` that writes products
through that network's own admin API (``tests/support/catalog_admin.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest

from connectors.base import Connector
from connectors.errors import NetworkRejected
from connectors.records import ChangeKind, ProductChange, ProductQuery, ProductRecord
from tests.support.catalog_admin import delete_path, new_product, put_request

Admin = Callable[[str, str, Any], Awaitable[Any]]  # method, path, json body


async def walk(
    connector: Connector, after: str | None = None, limit: int = 100
) -> tuple[list[ProductChange], str | None, int]:
    """Every change after ``after``: the changes, the last marker and the pages read."""
    changes: list[ProductChange] = []
    pages = 0
    while True:
        page = await connector.product_changes(after, limit)
        pages += 1
        assert len(page.changes) <= limit
        changes.extend(page.changes)
        after = page.marker
        if not page.has_more:
            return changes, after, pages


def latest(changes: list[ProductChange]) -> dict[str, ProductRecord]:
    """The products the changes leave behind: the last entry per product wins."""
    products: dict[str, ProductRecord] = {}
    for change in changes:
        if change.kind is ChangeKind.DELETED:
            products.pop(change.product_id, None)
        else:
            assert change.product is not None
            products[change.product_id] = change.product
    return products


async def catalogue(connector: Connector) -> dict[str, ProductRecord]:
    """Every product the network lists, through its search."""
    found: dict[str, ProductRecord] = {}
    after: str | None = None
    while True:
        page = await connector.search_products(ProductQuery(), after, 100)
        found.update({p.id: p for p in page.items})
        if not page.has_more or not page.items:
            return found
        after = page.positions[-1]


async def full_walk_is_the_catalogue(connector: Connector) -> None:
    changes, marker, pages = await walk(connector, None, limit=40)
    assert marker is not None
    assert pages >= 2
    assert all(c.network == connector.code for c in changes)
    assert latest(changes) == await catalogue(connector)


async def changes_after_the_marker(connector: Connector, admin: Admin) -> None:
    _, marker, _ = await walk(connector)
    listed = await catalogue(connector)
    ids = sorted(listed)
    changed = replace(listed[ids[0]], price=listed[ids[0]].price + 1_000, stock=7)
    gone = ids[1]
    added = new_product(listed[ids[2]], "Kopi Arabika Kintamani 250 g")
    for product in (changed, added):
        path, body = put_request(product)
        await admin("PUT", path, body)
    await admin("DELETE", delete_path(connector.code, gone), None)

    changes, after, _ = await walk(connector, marker)
    assert [(c.product_id, c.kind) for c in changes] == [
        (changed.id, ChangeKind.UPSERTED),
        (added.id, ChangeKind.UPSERTED),
        (gone, ChangeKind.DELETED),
    ]
    now = await connector.get_products([changed.id, added.id, gone])
    assert changes[0].product == now[changed.id]
    assert changes[0].product.price == changed.price
    assert changes[1].product == now[added.id]
    assert changes[1].product.name == added.name
    assert changes[2].product is None
    assert gone not in now

    nothing = await connector.product_changes(after, 100)
    assert nothing.changes == ()
    assert nothing.marker == after
    assert not nothing.has_more


async def foreign_markers_are_refused(connector: Connector, markers: list[str]) -> None:
    for marker in markers:
        with pytest.raises(NetworkRejected) as refused:
            await connector.product_changes(marker, 10)
        assert refused.value.status == 400
