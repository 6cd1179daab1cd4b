"""One request pipeline for every operation, whatever transport carried it.

HTTP POST and GET, each operation of a JSON-array batch, and every WebSocket ``subscribe``
message (queries, mutations and subscriptions alike) pass the same steps, in this order:

1. **authenticate** (``authenticate``): the bearer token's signature, claims and client
   (revocation); failures are throttled per address and client id (``hub.auth``). Without
   a token, UNAUTHENTICATED unless the hub runs open (``hub demo``).
2. **shed load** (``slot``): at most ``max_in_flight`` operations run at once in this
   process, and once half of them are taken no one caller may hold more than a quarter
   (so one client's flood leaves room for everyone else); past either, OVERLOADED with
   ``Retry-After`` at once rather than a queue.
3. **rate limit** (``admit``): one token per operation from the caller's bucket
   (``hub.ratelimit``). It comes before the document is read, so a flood of documents
   that will be refused still spends the sender's own budget, not the hub's CPU.
4. **persisted query / safelist** (``hub.persisted``).
5. **parse with bounds, validate with the query limits** (``hub.documents``, a schema
   extension, so every execution of the schema passes it).
6. **scopes and tenant rules** in the resolvers (``resolvers.access``), then execution.

A step refuses by raising ``hub.refusal.Refusal``; steps 5-6 answer with GraphQL errors
carrying ``extensions.code``. The transports only frame what comes out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from starlette.requests import HTTPConnection
from strawberry import Schema
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from federation.hub import Federation
from hub.auth.principal import Principal
from hub.auth.service import AuthService
from hub.persisted import PersistedQueries
from hub.ratelimit import RateLimiter
from hub.refusal import OVERLOADED, RATE_LIMITED, UNAUTHENTICATED, Refusal
from hub.requests import GraphQLParams
from resolvers.context import Context, Services

EVERY_OPERATION = frozenset(OperationType)


@dataclass(frozen=True)
class Caller:
    """Who sent an operation: the token's principal (None when the hub runs open), the
    ``Authorization`` header it came with, and the remote address."""

    principal: Principal | None
    authorization: str | None
    address: str

    @property
    def key(self) -> str:
        """What the caller's rate limit counts against: its client, else its address."""
        if self.principal is not None:
            return f"client:{self.principal.client_id}"
        return f"address:{self.address}"


def remote_address(connection: HTTPConnection) -> str:
    """The peer's address (behind a proxy, run uvicorn with ``--forwarded-allow-ips``)."""
    return connection.client.host if connection.client else "unknown"


class Pipeline:
    """The steps every operation passes; built at start-up, kept on ``app.state``."""

    def __init__(
        self,
        schema: Schema,
        *,
        auth: AuthService,
        federation: Federation,
        services: Services,
        persisted: PersistedQueries,
        rate_limiter: RateLimiter | None,
        auth_required: bool,
        max_in_flight: int,
    ) -> None:
        self.schema = schema
        self.auth = auth
        self.federation = federation
        self.services = services
        self.persisted = persisted
        self.rate_limiter = rate_limiter
        self.auth_required = auth_required
        self.max_in_flight = max_in_flight
        self.per_caller = max(1, max_in_flight // 4)
        self.in_flight = 0
        self._held: Counter[str] = Counter()

    async def authenticate(self, authorization: str | None, address: str) -> Caller:
        """The caller behind ``authorization``; ``Refusal`` when it is not acceptable."""
        if authorization is None:
            if self.auth_required:
                raise Refusal(
                    UNAUTHENTICATED,
                    "Authentication required: send Authorization: Bearer <access token> "
                    "(get one from POST /oauth/token).",
                )
            return Caller(None, None, address)
        principal = await self.auth.authenticate(authorization, address)
        return Caller(principal, authorization, address)

    async def still_valid(self, caller: Caller) -> None:
        """Refuse a caller whose token has expired or whose client has been revoked since."""
        if caller.authorization is not None:
            await self.auth.authenticate(caller.authorization, caller.address)

    @asynccontextmanager
    async def slot(self, caller: Caller) -> AsyncIterator[None]:
        """Hold one of the ``max_in_flight`` places, or refuse with OVERLOADED at once."""
        key = caller.key
        busy = self.in_flight >= self.max_in_flight // 2
        if self.max_in_flight and (
            self.in_flight >= self.max_in_flight or (busy and self._held[key] >= self.per_caller)
        ):
            raise Refusal(OVERLOADED, "The hub is at capacity: retry shortly.", retry_after=1)
        self.in_flight += 1
        self._held[key] += 1
        try:
            yield
        finally:
            self.in_flight -= 1
            self._held[key] -= 1
            if not self._held[key]:
                del self._held[key]

    async def admit(self, caller: Caller, operations: int = 1) -> None:
        """Take one rate-limit token per operation, or refuse with RATE_LIMITED."""
        if self.rate_limiter is None:
            return
        wait = await self.rate_limiter.take(caller.key, operations)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise Refusal(
                RATE_LIMITED, f"Rate limit exceeded: retry in {seconds} s.", retry_after=seconds
            )

    def context(self, caller: Caller, connection: HTTPConnection) -> Context:
        """A fresh per-operation context: new DataLoaders, the caller's principal."""
        return Context(
            self.federation, connection, services=self.services, principal=caller.principal
        )

    async def execute(
        self,
        caller: Caller,
        params: GraphQLParams,
        connection: HTTPConnection,
        allowed: Iterable[OperationType] = EVERY_OPERATION,
    ) -> ExecutionResult:
        """Run one query or mutation (already admitted) through steps 4-6."""
        query = await self.persisted.resolve(params)
        result = await self.schema.execute(
            query,
            variable_values=params.variables,
            operation_name=params.operation_name,
            context_value=self.context(caller, connection),
            allowed_operation_types=allowed,
        )
        if executed(result):
            await self.persisted.remember(params)
        return result

    async def stream(
        self, caller: Caller, params: GraphQLParams, connection: HTTPConnection
    ) -> AsyncGenerator[ExecutionResult, None]:
        """Run any operation (already admitted) through steps 4-6: a subscription's
        results as they come, or a query's or mutation's one result."""
        query = await self.persisted.resolve(params)
        results = await self.schema.stream(
            query,
            variable_values=params.variables,
            operation_name=params.operation_name,
            context_value=self.context(caller, connection),
        )
        first = True
        try:
            async for result in results:
                if not isinstance(result, ExecutionResult):
                    continue  # incremental delivery: not enabled on this schema
                if first and executed(result):
                    await self.persisted.remember(params)
                first = False
                yield result
        except GraphQLError as refused:  # a document refused while parsed (hub.documents)
            yield ExecutionResult(data=None, errors=[refused])
        finally:
            await results.aclose()


def executed(result: ExecutionResult) -> bool:
    """Whether execution began: data present (even null fields), or an error at a path."""
    return result.data is not None or any(e.path for e in result.errors or ())


def payload(result: ExecutionResult) -> dict[str, Any]:
    """A result as the GraphQL response map: ``data`` only when execution began."""
    body: dict[str, Any] = {}
    if executed(result):
        body["data"] = result.data
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        body["extensions"] = result.extensions
    return body
