"""Assemble the schema: the root types and the extensions every request runs through."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.types.graphql import OperationType

from schema.catalog import Product
from schema.cooperatives import Cooperative
from schema.errors import ErrorCodes, with_code
from schema.mutation import Mutation
from schema.networks import Network
from schema.orders import Order
from schema.query import Query
from schema.scalars import SCALARS
from schema.subscription import Subscription
from schema.suppliers import Supplier


class HubSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Codes for subscription events, which no operation-level extension sees.

        Queries and mutations get theirs (and their logging) from ``ErrorCodes``.
        """
        if execution_context is None or execution_context.graphql_document is None:
            return  # a document that did not parse: no subscription
        try:
            subscription = execution_context.operation_type is OperationType.SUBSCRIPTION
        except CannotGetOperationTypeError:
            return
        if subscription:
            for error in errors:
                coded = with_code(error)
                error.message, error.extensions = coded.message, coded.extensions


def build_schema(
    *,
    introspection: bool = True,
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
) -> strawberry.Schema:
    """The hub's public GraphQL schema; production turns ``introspection`` off, and the
    hub adds its own ``extensions`` (the audit log; parsing and validation within the
    hub's bounds, ``hub.documents``, which remembers documents within a byte budget)."""
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
            *([] if introspection else [DisableIntrospection]),
        ],
        config=StrawberryConfig(scalar_map=SCALARS),
    )
