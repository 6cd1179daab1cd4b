"""SEJUK's change feed through ``SejukConnector.product_changes`` (in process)."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from connectors.sejuk import SejukConnector
from tests.connectors import changes_contract as contract
from tests.connectors.test_sejuk import ADMIN, sejuk_connector, sejuk_network

__all__ = ["sejuk_network"]


async def _connector(app: Starlette) -> SejukConnector:
    return sejuk_connector(transport=httpx.ASGITransport(app=app))


def _admin(app: Starlette) -> contract.Admin:
    async def call(method: str, path: str, body: Any) -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://network") as client:
            response = await client.request(method, path, json=body, headers=ADMIN)
            response.raise_for_status()

    return call


async def test_a_walk_from_the_start_is_the_whole_catalogue(sejuk_network: Starlette) -> None:
    connector = await _connector(sejuk_network)
    try:
        await contract.full_walk_is_the_catalogue(connector)
    finally:
        await connector.aclose()


async def test_updates_inserts_and_deletions_follow_the_marker(sejuk_network: Starlette) -> None:
    connector = await _connector(sejuk_network)
    try:
        await contract.changes_after_the_marker(connector, _admin(sejuk_network))
    finally:
        await connector.aclose()


async def test_markers_it_never_issued_are_refused(sejuk_network: Starlette) -> None:
    connector = await _connector(sejuk_network)
    try:
        await contract.foreign_markers_are_refused(connector, ["-1", "x", "01", "itm_1"])
    finally:
        await connector.aclose()
