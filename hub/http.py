"""The GraphQL-over-HTTP endpoint at /graphql.

Status codes, by the response media type the client negotiated (see ``hub.media``):

==========================================  ==================  ====================
case                                        graphql-response    application/json
==========================================  ==================  ====================
execution began (data present, even null)   200                 200
document does not parse / validate,         400                 200
operation unknown, variables do not coerce
not a well-formed request (bad JSON, no     400                 400
query, variables not an object)
GET with a mutation                         405, Allow: POST    405, Allow: POST
no acceptable response type                 406                 406
body over ``max_body_bytes``                413                 413
POST that is not ``application/json``       415                 415
over a query limit, persisted query refused  400                 200
batch over ``max_batch_size``                400                 400
token invalid, or missing when required     401                 401
client over its rate limit                  429, Retry-After    429, Retry-After
unexpected failure in the hub               500, no internals   500, no internals
==========================================  ==================  ====================

A request error (execution never began) is answered without a ``data`` entry; every
error body has the GraphQL shape ``{"errors": [{"message", "extensions": {"code"}}]}``.

Before any operation runs, in this order: authentication (``hub.auth``: a bearer token,
when sent, must be valid, else 401 ``UNAUTHENTICATED`` with ``WWW-Authenticate``; with
``auth_required`` a request without one is refused the same way), the client's rate limit
(``hub.ratelimit``; one token per operation), the persisted query (``hub.persisted``), the
query limits (``hub.limits``). Refusals carry their own ``extensions.code``, set by the exception that
refuses (``HttpError.code`` or ``Refused.code``) and turned into a body here only.

A POST body that is a JSON array is a batch: its operations run concurrently, each as if
sent alone, and the answer is a JSON array of their results, in order, with status 200.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry import Schema
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hub.auth.principal import AuthError, Principal
from hub.limits import QueryLimiter
from hub.media import GRAPHQL_RESPONSE_JSON, JSON, choose_response_type, prefers_html
from hub.persisted import PersistedQueries
from hub.ratelimit import RateLimiter
from hub.requests import GraphQLParams, HttpError, Refused, read_get, read_post
from resolvers.context import Context

logger = logging.getLogger("hub.http")

GET_OPERATIONS = frozenset({OperationType.QUERY})
POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})
UNAUTHENTICATED = "UNAUTHENTICATED"


def error_body(message: str, code: str = "BAD_REQUEST") -> dict[str, Any]:
    """A GraphQL-shaped error response body with one error."""
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def json_response(
    payload: Any, *, status: int = 200, media: str = JSON, headers: dict[str, str] | None = None
) -> Response:
    """``payload`` encoded with orjson as ``media`` in UTF-8."""
    return Response(
        orjson.dumps(payload),
        status_code=status,
        media_type=f"{media}; charset=utf-8",
        headers=headers,
    )


class GraphQLEndpoint:
    """The ASGI app at /graphql: executes GraphQL requests against ``schema``."""

    def __init__(
        self,
        schema: Schema,
        *,
        max_body_bytes: int,
        graphiql: bool,
        max_batch_size: int = 0,
        limiter: QueryLimiter | None = None,
        rate_limiter: RateLimiter | None = None,
        persisted: PersistedQueries | None = None,
        auth_required: bool = False,
    ) -> None:
        self.schema = schema
        self.auth_required = auth_required
        self.max_body_bytes = max_body_bytes
        self.graphiql = graphiql
        self.max_batch_size = max_batch_size
        self.limiter = limiter
        self.rate_limiter = rate_limiter
        self.persisted = persisted if persisted is not None else PersistedQueries()
        self._graphiql_html = get_graphql_ide_html("graphiql") if graphiql else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI: every method reaches ``handle``, which answers 405 itself where due."""
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request to /graphql."""
        accept = request.headers.get("accept")
        if request.method == "GET" and self.graphiql and prefers_html(accept):
            return HTMLResponse(self._graphiql_html)
        media = choose_response_type(accept)
        if media is None:
            return json_response(
                error_body(
                    f"Not acceptable: this endpoint answers {GRAPHQL_RESPONSE_JSON} or {JSON}."
                ),
                status=406,
            )
        try:
            return await self._handle(request, media)
        except HttpError as error:
            return json_response(
                error_body(error.message, error.code),
                status=error.status,
                media=media,
                headers=error.headers,
            )
        except Exception:
            logger.exception("unexpected failure answering a GraphQL request")
            return json_response(
                error_body("Internal server error.", "INTERNAL_SERVER_ERROR"),
                status=500,
                media=media,
            )

    async def _handle(self, request: Request, media: str) -> Response:
        if request.method == "GET":
            body: GraphQLParams | list[GraphQLParams] = read_get(request)
            allowed = GET_OPERATIONS
        elif request.method == "POST":
            body = await read_post(request, self.max_body_bytes, self.max_batch_size)
            allowed = POST_OPERATIONS
        else:
            raise HttpError(405, "Use GET or POST.", {"Allow": "GET, POST"})
        batch = body if isinstance(body, list) else [body]
        request.state.principal = await self._authenticate(request)
        if self.rate_limiter is not None:
            await self.rate_limiter.admit(request, len(batch))
        if not isinstance(body, list):
            payload, executed = await self._answer(request, body, allowed)
            status = 200 if executed or media == JSON else 400
            return json_response(payload, status=status, media=media)
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(self._answer_in_batch(request, p, allowed)) for p in body]
        return json_response([task.result() for task in tasks], media=media)

    async def _authenticate(self, request: Request) -> Principal | None:
        """The request's principal; None without a token unless one is required."""
        header = request.headers.get("authorization")
        if header is None:
            if self.auth_required:
                raise HttpError(
                    401,
                    "Authentication required: send Authorization: Bearer <access token> "
                    "(get one from POST /oauth/token).",
                    {"WWW-Authenticate": "Bearer"},
                    code=UNAUTHENTICATED,
                )
            return None
        try:
            principal: Principal = await request.app.state.auth.validator.authenticate(header)
        except AuthError as error:
            description = error.message.replace('"', "'")
            raise HttpError(
                401,
                f"Invalid access token: {error.message}.",
                {
                    "WWW-Authenticate": (
                        f'Bearer error="invalid_token", error_description="{description}"'
                    )
                },
                code=UNAUTHENTICATED,
            ) from None
        return principal

    async def _answer_in_batch(
        self, request: Request, params: GraphQLParams, allowed: frozenset[OperationType]
    ) -> dict[str, Any]:
        try:
            payload, _ = await self._answer(request, params, allowed)
        except HttpError as error:
            return error_body(error.message, error.code)
        return payload

    async def _answer(
        self, request: Request, params: GraphQLParams, allowed: frozenset[OperationType]
    ) -> tuple[dict[str, Any], bool]:
        """One operation's response body, and whether its execution began."""
        try:
            query = await self.persisted.resolve(params)
            if self.limiter is not None:
                self.limiter.check(query, params.operation_name, params.variables)
        except Refused as refusal:
            result = _request_error_result(refusal.message, refusal.code)
        else:
            result = await self._execute(request, replace(params, query=query), allowed)
        executed = result.data is not None or any(e.path for e in result.errors or ())
        if executed:
            await self.persisted.remember(params)
        payload: dict[str, Any] = {}
        if executed:
            payload["data"] = result.data
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        return payload, executed

    async def _execute(
        self, request: Request, params: GraphQLParams, allowed: frozenset[OperationType]
    ) -> ExecutionResult:
        state = request.app.state
        context = Context(
            state.federation,
            request,
            services=state.services,
            principal=getattr(request.state, "principal", None),
        )
        try:
            return await self.schema.execute(
                params.query,
                variable_values=params.variables,
                operation_name=params.operation_name,
                context_value=context,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError as error:
            if request.method == "GET" and error.operation_type is OperationType.MUTATION:
                raise HttpError(
                    405, "Mutations need POST: GET runs queries only.", {"Allow": "POST"}
                ) from None
            if request.method == "GET":
                raise HttpError(405, "GET runs queries only.", {"Allow": "POST"}) from None
            return _request_error_result(
                "Subscriptions are not served over HTTP: use the WebSocket endpoint."
            )
        except MissingQueryError:
            return _request_error_result("The query is empty: send a GraphQL document.")
        except CannotGetOperationTypeError as error:
            name = error.operation_name
            message = (
                f"Unknown operation named {name!r}."
                if name
                else "No operation to run: the document defines none."
            )
            return _request_error_result(message)


def _request_error_result(message: str, code: str = "BAD_REQUEST") -> ExecutionResult:
    """A GraphQL request error: the operation was refused before execution began."""
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])
