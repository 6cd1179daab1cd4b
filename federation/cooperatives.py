"""Cooperative search across networks: each network's cooperatives are its own."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.base import Connector
from connectors.records import CooperativeQuery, CooperativeRecord, Page
from federation import cursor
from federation.filters import cooperative_matches
from federation.hub import Federation
from federation.merge import Merged, merge_page


@dataclass(frozen=True)
class CooperativeSearch:
    query: CooperativeQuery
    networks: tuple[str, ...] | None = None

    def fingerprint(self) -> str:
        return cursor.fingerprint("cooperatives", self.query, self.networks)


async def search_cooperatives(
    federation: Federation, search: CooperativeSearch, first: int, after: str | None
) -> Merged[CooperativeRecord]:
    """The next ``first`` cooperatives after ``after``, by name across networks."""
    state = cursor.decode(after, search.fingerprint()) if after else cursor.MergeState()

    async def fetch(
        connector: Connector, position: str | None, limit: int
    ) -> Page[CooperativeRecord]:
        return await connector.search_cooperatives(search.query, position, limit)

    return await merge_page(
        federation,
        fetch,
        state,
        first,
        key=lambda c: (c.name.casefold(), c.network, c.id),
        keep=lambda c: cooperative_matches(search.query, c),
        only=search.networks,
    )
