"""The operation's deadline: a call made once it has passed asks nobody and fails at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pytest

from connectors.base import Connector
from connectors.errors import NetworkTimeout
from connectors.records import SupplierRecord
from federation.fanout import Deadline, NetworkStatus
from federation.hub import Federation, FederationLimits
from federation.loaders import Loaders


class Counting:
    """A network that answers at once and counts what it was asked."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.asked = 0

    async def get_suppliers(self, ids: Sequence[str]) -> dict[str, SupplierRecord]:
        self.asked += 1
        return {}

    async def health(self) -> None:
        self.asked += 1


def federation_of(*networks: Counting) -> Federation:
    return Federation([cast(Connector, n) for n in networks], FederationLimits(deadline=2.0))


async def test_a_fan_out_after_the_operations_deadline_asks_nobody() -> None:
    network = Counting("sejuk")
    passed = federation_of(network).for_operation(Deadline.after(-1.0))

    fan = await passed.health()

    assert network.asked == 0
    assert [(o.code, o.status) for o in fan.outcomes] == [("sejuk", NetworkStatus.TIMEOUT)]


async def test_a_loader_after_the_operations_deadline_fails_its_keys_without_asking() -> None:
    network = Counting("sejuk")
    loaders = Loaders(federation_of(network).for_operation(Deadline.after(-1.0)))

    with pytest.raises(NetworkTimeout):
        await loaders.suppliers.load(("sejuk", "1"))
    assert network.asked == 0


async def test_within_the_deadline_every_call_is_made() -> None:
    network = Counting("sejuk")
    federation = federation_of(network).for_operation()

    fan = await federation.health()
    await Loaders(federation).suppliers.load(("sejuk", "1"))

    assert [o.status for o in fan.outcomes] == [NetworkStatus.OK]
    assert network.asked == 2
    assert 0 < federation.time_left() <= 2.0
