"""DataLoaders, one set per request: nested fields cost one batched call per network.

Keys name a network's own record (``(network, id)``) or a NIB; a batch is split by
network and each network is asked once, all networks at the same time, within what is
left of the operation's deadline (``Federation.time_left``). A network that fails fails
only its own keys.

The graph's nested suppliers, cooperatives and listings come from ``directory()``: the
catalog index's own tables (one query per batch, no network asked) once the index is
loaded, unless the request asked the networks (``read_live``); the networks otherwise.
Products, partnerships and the plain ``suppliers``/``cooperatives``/``listings`` loaders
always ask the networks: orders, group buys and RFQs price and check against them.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Directory:
    """Suppliers, cooperatives and each NIB's listings, all from one source."""

    suppliers: DataLoader[Key, SupplierRecord | None]
    cooperatives: DataLoader[Key, CooperativeRecord | None]
    # Every network's listing of a NIB, in the federation's order; () when none has it.
    listings: DataLoader[str, tuple[SupplierRecord, ...]]
    from_index: bool


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
        self.live = Directory(self.suppliers, self.cooperatives, self.listings, from_index=False)
        self._indexed: Directory | None = None
        if index is not None:
            self._indexed = Directory(
                DataLoader(self._index_suppliers),
                DataLoader(self._index_cooperatives),
                DataLoader(self._index_listings),
                from_index=True,
            )
        self._live_asked = False
        self._source: Directory | None = None  # decided once: one request, one source

    def read_live(self) -> None:
        """The request asked the networks (``live: true``): read its nested suppliers,
        cooperatives and listings from them too. Call before any nested field loads."""
        self._live_asked = True

    async def directory(self) -> Directory:
        """Where this request reads suppliers, cooperatives and listings: the index once
        every network is loaded into it (and the request did not ask ``live``), else the
        networks."""
        if self._source is None:
            indexed, index = self._indexed, self.index
            ready = index is not None and not self._live_asked and await index.ready()
            self._source = indexed if ready and indexed is not None else self.live
        return self._source

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

    async def _index_suppliers(self, keys: list[Key]) -> list[SupplierRecord | None]:
        found = await self._index().supplier_records(keys)
        return [found.get(key) for key in keys]

    async def _index_cooperatives(self, keys: list[Key]) -> list[CooperativeRecord | None]:
        found = await self._index().cooperative_records(keys)
        return [found.get(key) for key in keys]

    async def _index_listings(self, nibs: list[str]) -> list[tuple[SupplierRecord, ...]]:
        found = await self._index().listings(nibs)
        return [found.get(nib, ()) for nib in nibs]

    def _index(self) -> CatalogIndex:
        if self.index is None:  # the index loaders exist only with an index
            raise RuntimeError("this hub runs without a catalog index")
        return self.index

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
        left = self.federation.time_left()
        if left <= 0:  # a lookup after the operation's deadline: fail now, ask nobody
            raise NetworkTimeout(code, "not asked: the operation's deadline had passed")
        try:
            return await asyncio.wait_for(call(connector), left)
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
