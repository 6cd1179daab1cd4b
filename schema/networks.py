"""The ``Network`` type: one regional network the hub federates."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from resolvers import access, catalog
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema.node import Node

NAMES = {
    "sejuk": "SEJUK (Kota Bandung)",
    "tangerang": "Koperasi Kota Tangerang",
    "padi": "PaDi UMKM (nasional)",
}


@access.node_rule(access.CATALOG_READ, access.Tenancy.PUBLIC)
@strawberry.type(description="A regional cooperative network the hub federates.")
class Network(Node):
    code: str = strawberry.field(description="Short code, e.g. `sejuk`, `tangerang`, `padi`.")
    name: str = strawberry.field(description="The network's name.")

    @classmethod
    def of(cls, code: str) -> Network:
        return cls(
            id=strawberry.ID(to_global_id("Network", code)), code=code, name=NAMES.get(code, code)
        )

    @strawberry.field(
        description="When the hub's catalog index last synced this network (UTC); null "
        "before its first sync or in a hub without an index."
    )
    async def synced_at(self, info: Info[Context, None]) -> datetime | None:
        fresh = (await catalog.freshness(info.context)).get(self.code)
        if fresh is None or fresh.synced_at is None:
            return None
        return datetime.fromtimestamp(fresh.synced_at, UTC)

    @strawberry.field(
        description="Whether the index's copy of this network is stale: its last sync failed "
        "or is older than the hub allows. Its last data is still searched."
    )
    async def stale(self, info: Info[Context, None]) -> bool | None:
        fresh = (await catalog.freshness(info.context)).get(self.code)
        return fresh.stale if fresh is not None else None

    @strawberry.field(description="Why the last sync of this network failed, if it did.")
    async def sync_error(self, info: Info[Context, None]) -> str | None:
        fresh = (await catalog.freshness(info.context)).get(self.code)
        return fresh.error if fresh is not None else None
