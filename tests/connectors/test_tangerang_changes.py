"""Tangerang's item change feed through ``TangerangConnector.product_changes`` (in process)."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from connectors.tangerang import TangerangConnector
from tests.connectors import changes_contract as contract
from tests.connectors.test_tangerang import ADMIN, tangerang, tangerang_app

__all__ = ["tangerang", "tangerang_app"]


def _admin(app: Starlette) -> contract.Admin:
    async def call(method: str, path: str, body: Any) -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://network") as client:
            response = await client.request(method, path, json=body, headers=ADMIN)
            response.raise_for_status()

    return call


async def test_a_walk_from_the_start_is_the_whole_catalogue(tangerang: TangerangConnector) -> None:
    await contract.full_walk_is_the_catalogue(tangerang)


async def test_updates_inserts_and_deletions_follow_the_marker(
    tangerang: TangerangConnector, tangerang_app: Starlette
) -> None:
    await contract.changes_after_the_marker(tangerang, _admin(tangerang_app))


async def test_markers_it_never_issued_are_refused(tangerang: TangerangConnector) -> None:
    await contract.foreign_markers_are_refused(tangerang, ["x", "eyJwIjoxfQ"])
