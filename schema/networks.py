"""The ``Network`` type: one regional network the hub federates."""

from __future__ import annotations

import strawberry

from resolvers.ids import to_global_id
from schema.node import Node

NAMES = {
    "sejuk": "SEJUK (Kota Bandung)",
    "tangerang": "Koperasi Kota Tangerang",
    "padi": "PaDi UMKM (nasional)",
}


@strawberry.type(description="A regional cooperative network the hub federates.")
class Network(Node):
    code: str = strawberry.field(description="Short code, e.g. `sejuk`, `tangerang`, `padi`.")
    name: str = strawberry.field(description="The network's name.")

    @classmethod
    def of(cls, code: str) -> Network:
        return cls(
            id=strawberry.ID(to_global_id("Network", code)), code=code, name=NAMES.get(code, code)
        )
