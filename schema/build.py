"""Assemble the schema: the root types and the extensions every request runs through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from schema.catalog import Product
from schema.cooperatives import Cooperative
from schema.errors import ErrorCodes
from schema.mutation import Mutation
from schema.networks import Network
from schema.orders import Order
from schema.query import Query
from schema.scalars import SCALARS
from schema.subscription import Subscription
from schema.suppliers import Supplier


class HubSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Logging happens in ``ErrorCodes``, which knows user mistakes from hub faults."""


def build_schema(
    *, introspection: bool = True, extensions: Sequence[type[SchemaExtension]] = ()
) -> strawberry.Schema:
    """The hub's public GraphQL schema; production turns ``introspection`` off, and the
    hub adds its own ``extensions`` (the audit log)."""
    return HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Product, Supplier, Cooperative, Network, Order],
        extensions=[
            # The hub's extensions come first: their on_operation ends last, after
            # ErrorCodes has given every error its code.
            *extensions,
            ErrorCodes,
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            *([] if introspection else [DisableIntrospection]),
        ],
        config=StrawberryConfig(scalar_map=SCALARS),
    )
