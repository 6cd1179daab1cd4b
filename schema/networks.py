"""The ``Network`` type: one regional network the hub federates."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A regional cooperative network the hub federates.")
class Network:
    code: str = strawberry.field(description="Short code, e.g. `sejuk`, `tangerang`, `padi`.")
