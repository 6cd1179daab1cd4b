"""Assemble the schema: root types, extensions (caches, error codes)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from schema.networks import Network


@strawberry.type(description="Read the federated graph.")
class Query:
    @strawberry.field(description="Every network the hub federates, in its fixed order.")
    def networks(self, info: Info[Context, None]) -> list[Network]:
        return [Network(code=code) for code in info.context.federation.codes]


def build_schema() -> strawberry.Schema:
    """The hub's public GraphQL schema."""
    return strawberry.Schema(query=Query)
