"""DataLoaders, one set per request: nested fields cost one batched call per network.

Keys name a network's own record (``(network, id)``) or a NIB; a batch is split by
network and each network is asked once, all networks at the same time, within the
federation's deadline. A network that fails fails only its own keys.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from functools import partial
from typing import Any, TypeVar

from aiodataloader import DataLoader

from connectors.base import Connector
from connectors.errors import ConnectorError, NetworkTimeout
from connectors.records import (
    CooperativeRecord,
    PartnershipRecord,
    ProductRecord,
    SupplierRecord,
)
from federation.hub import Federation
from federation.index.catalog import CatalogIndex

R = TypeVar("R")
Key = tuple[str, str]  # (network code, the network's id)
BatchGet = Callable[[Connector, Sequence[str]], Awaitable[dict[str, R]]]


class Loaders:
    """The request's loaders; build inside the running event loop, one set per request."""

    def __init__(self, federation: Federation, index: CatalogIndex | None = None) -> None:
        self.federation = federation
        self.index = index
        # Products per (network, supplier id), counted in the index: None without one.
        self.product_counts: DataLoader[Key, int | None] = DataLoader(self._product_counts)
        self.products: DataLoader[Key, ProductRecord | None] = DataLoader(
            self._by_network(lambda c, ids: c.get_products(ids))
        )
        self.suppliers: DataLoader[Key, SupplierRecord | None] = DataLoader(
            self._by_network(lambda c, ids: c.get_suppliers(ids))
        )
        self.cooperatives: DataLoader[Key, CooperativeRecord | None] = DataLoader(
            self._by_network(lambda c, ids: c.get_cooperatives(ids))
        )
        # Absent from the answer (no MoUs, or a network without JUK) loads as None.
        self.partnerships: DataLoader[Key, tuple[PartnershipRecord, ...] | None] = DataLoader(
            self._by_network(lambda c, ids: c.get_partnerships(ids))
        )
        self.listings: DataLoader[str, tuple[SupplierRecord, ...]] = DataLoader(self._listings)
        self._known_suppliers: dict[Key, SupplierRecord] = {}

    def _by_network(
        self, get: BatchGet[R]
    ) -> Callable[[list[Key]], Coroutine[Any, Any, list[Any]]]:
        # aiodataloader takes an exception in place of a value: that key fails alone.
        async def batch(keys: list[Key]) -> list[R | BaseException | None]:
            wanted: dict[str, list[str]] = defaultdict(list)
            for network, native_id in keys:
                wanted[network].append(native_id)
            codes = list(wanted)
            answers = await asyncio.gather(
                *(self._ask(code, partial(_call, get, wanted[code])) for code in codes),
                return_exceptions=True,
            )
            found = dict(zip(codes, answers, strict=True))
            results: list[R | BaseException | None] = []
            for network, native_id in keys:
                answer = found[network]
                results.append(
                    answer if isinstance(answer, BaseException) else answer.get(native_id)
                )
            return results

        return batch

    async def _product_counts(self, keys: list[Key]) -> list[int | None]:
        if self.index is None:
            return [None for _ in keys]
        counts = await self.index.product_counts(keys)
        return [counts.get(key, 0) for key in keys]

    async def _listings(self, nibs: list[str]) -> list[tuple[SupplierRecord, ...]]:
        """Every network's listing of each NIB, in the federation's network order."""
        fan = await self.federation.fan_out(lambda c: c.find_suppliers_by_nib(nibs))
        by_network = fan.values()
        return [
            tuple(
                by_network[code][nib]
                for code in self.federation.codes
                if nib in by_network.get(code, {})
            )
            for nib in nibs
        ]

    async def _ask(self, code: str, call: Callable[[Connector], Awaitable[R]]) -> R:
        connector = self.federation.by_code.get(code)
        if connector is None:
            raise ConnectorError(code, "no such network")
        try:
            return await asyncio.wait_for(call(connector), self.federation.limits.deadline)
        except TimeoutError:
            raise NetworkTimeout(code, "no answer within the deadline") from None

    def prime_suppliers(self, records: Sequence[SupplierRecord]) -> None:
        for record in records:
            self.suppliers.prime((record.network, record.id), record)
            self._known_suppliers[(record.network, record.id)] = record

    def peek_supplier(self, network: str, native_id: str) -> SupplierRecord | None:
        """A supplier this request already fetched, without asking anyone."""
        return self._known_suppliers.get((network, native_id))


async def _call(get: BatchGet[R], ids: Sequence[str], connector: Connector) -> dict[str, R]:
    return await get(connector, ids)
