"""The Relay ``Node`` interface: anything fetchable by its opaque global ID."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="Anything with a global ID: fetch it again with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global ID.")
