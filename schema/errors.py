"""The one place errors become ``extensions.code``.

InputError, and variables that do not coerce                      BAD_USER_INPUT
NotFoundError                                                     NOT_FOUND
ConflictError (PriceChangedError adds productId and unitPrice)    CONFLICT
UnauthenticatedError                                              UNAUTHENTICATED
ForbiddenError (a missing scope, another organisation's data)     FORBIDDEN
NetworkRateLimited                                                RATE_LIMITED
any other ConnectorError, and each failed network of a fan-out    NETWORK_UNAVAILABLE
anything else                                                     INTERNAL_SERVER_ERROR
                                                                  (message masked)

An error that already carries a code keeps it: documents refused by the hub's parsing and
validation (``hub.documents``: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, the
limits' codes). Operations refused before GraphQL runs (unauthenticated, rate limited,
overloaded, persisted query refused) get theirs from ``hub.refusal.Refusal``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from connectors.errors import ConnectorError, NetworkRateLimited
from federation.errors import (
    ConflictError,
    ForbiddenError,
    InputError,
    NotFoundError,
    PriceChangedError,
    UnauthenticatedError,
)
from resolvers.context import Context
from resolvers.ids import to_global_id

log = logging.getLogger("hub.errors")


# Most specific first: NetworkRateLimited is a ConnectorError too.
_CODES: tuple[tuple[type[Exception], str], ...] = (
    (InputError, "BAD_USER_INPUT"),
    (NotFoundError, "NOT_FOUND"),
    (ConflictError, "CONFLICT"),
    (UnauthenticatedError, "UNAUTHENTICATED"),
    (ForbiddenError, "FORBIDDEN"),
    (NetworkRateLimited, "RATE_LIMITED"),
    (ConnectorError, "NETWORK_UNAVAILABLE"),
)


def code_of(exception: BaseException | None) -> str | None:
    """The code for one of the hub's own exceptions; None for anything else."""
    return next((code for kind, code in _CODES if isinstance(exception, kind)), None)


def code_for(error: GraphQLError) -> str:
    code = code_of(error.original_error)
    if code is not None:
        return code
    given = (error.extensions or {}).get("code")
    if isinstance(given, str):
        return given  # refused by the hub's own parsing and validation (hub.documents)
    if error.path is None:
        # Refused before execution: syntax, validation, variables of the wrong type.
        return "BAD_USER_INPUT"
    return "INTERNAL_SERVER_ERROR"


def with_code(error: GraphQLError) -> GraphQLError:
    """The error as clients see it: a code, and no internals for unexpected failures."""
    code = code_for(error)
    extensions = dict(error.extensions or {})
    extensions["code"] = code
    message = error.message
    original = error.original_error
    if isinstance(original, ConnectorError):
        extensions["network"] = original.network
    if isinstance(original, PriceChangedError):
        extensions["productId"] = to_global_id("Product", *original.product)
        extensions["unitPrice"] = original.unit_price
    if code == "INTERNAL_SERVER_ERROR":
        log.error("unexpected error at %s", error.path, exc_info=error.original_error)
        message = "Internal error: the hub could not complete this field."
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, None, extensions
    )


def network_errors(context: Context) -> list[GraphQLError]:
    """One error per failed network of a fan-out, beside the other networks' data."""
    found = []
    for failure in context.failures:
        outcome = failure.outcome
        code = code_of(outcome.error) or "NETWORK_UNAVAILABLE"
        extensions = {"code": code, "network": outcome.code, "status": outcome.status.value}
        if outcome.request_id is not None:
            # The log line with what the network itself said (connectors.errors.logged).
            extensions["requestId"] = outcome.request_id
        found.append(
            GraphQLError(
                f"network {outcome.code} {outcome.status.value.lower()}: {outcome.message}",
                path=list(failure.path),
                extensions=extensions,
            )
        )
    return found


class ErrorCodes(SchemaExtension):
    """Gives every error its code and adds the fan-out's network errors.

    It works as execution ends, not as the operation does: a transport that streams
    (the WebSocket) sends a query's result before the operation's hooks finish.
    """

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None:
            return
        errors = [with_code(e) for e in result.errors or ()]
        context = self.execution_context.context
        if isinstance(context, Context):
            errors.extend(network_errors(context))
        result.errors = errors or None
