"""PaDi's ``productChanges`` through ``PadiConnector.product_changes`` (in process)."""

from __future__ import annotations

from typing import Any

from connectors.padi import PadiConnector
from tests.connectors import changes_contract as contract
from tests.connectors.test_padi import ADMIN, PadiNetwork, padi, padi_launch, padi_network

__all__ = ["padi", "padi_launch", "padi_network"]


def _admin(network: PadiNetwork) -> contract.Admin:
    async def call(method: str, path: str, body: Any) -> Any:
        response = await network.http.request(method, path, json=body, headers=ADMIN)
        response.raise_for_status()

    return call


async def test_a_walk_from_the_start_is_the_whole_catalogue(padi: PadiConnector) -> None:
    await contract.full_walk_is_the_catalogue(padi)


async def test_updates_inserts_and_deletions_follow_the_marker(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    await contract.changes_after_the_marker(padi, _admin(padi_network))


async def test_markers_it_never_issued_are_refused(padi: PadiConnector) -> None:
    await contract.foreign_markers_are_refused(padi, ["-1", "x", "01", "PRD-1"])
