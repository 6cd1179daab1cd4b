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
more operations in flight than allowed      503, Retry-After    503, Retry-After
unexpected failure in the hub               500, no internals   500, no internals
==========================================  ==================  ====================

A request error (execution never began) is answered without a ``data`` entry; every
error body has the GraphQL shape ``{"errors": [{"message", "extensions": {"code"}}]}``.

This module only frames: every operation passes ``hub.pipeline`` (authentication, load
shedding, rate limit, persisted queries, bounded parsing, validation with the limits,
execution), exactly as WebSocket operations do. A ``Refusal`` is answered with the status
``hub.refusal.status_of`` gives its code (401 with ``WWW-Authenticate``, 429 and 503 with
``Retry-After``), or as a GraphQL request error; a batch holds each operation's answer.

A POST body that is a JSON array is a batch: its operations run concurrently, each as if
sent alone, and the answer is a JSON array of their results, in order, with status 200.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from hub.graphiql import graphiql_html
from hub.media import GRAPHQL_RESPONSE_JSON, JSON, choose_response_type, prefers_html
from hub.pipeline import Caller, Pipeline, payload, remote_address
from hub.refusal import UNAUTHENTICATED, Refusal, status_of
from hub.requests import GraphQLParams, HttpError, read_get, read_post

logger = logging.getLogger("hub.http")

GET_OPERATIONS = frozenset({OperationType.QUERY})
POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


def error_body(message: str, code: str = "BAD_REQUEST") -> dict[str, Any]:
    """A GraphQL-shaped error response body with one error."""
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def json_response(
    content: Any, *, status: int = 200, media: str = JSON, headers: dict[str, str] | None = None
) -> Response:
    """``content`` encoded with orjson as ``media`` in UTF-8."""
    return Response(
        orjson.dumps(content),
        status_code=status,
        media_type=f"{media}; charset=utf-8",
        headers=headers,
    )


class GraphQLEndpoint:
    """The ASGI app at /graphql: frames GraphQL-over-HTTP around ``app.state.pipeline``."""

    def __init__(self, *, max_body_bytes: int, graphiql: bool, max_batch_size: int = 0) -> None:
        self.max_body_bytes = max_body_bytes
        self.graphiql = graphiql
        self.max_batch_size = max_batch_size
        self._graphiql_html = graphiql_html() if graphiql else ""

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
        except Refusal as refusal:
            return refusal_response(refusal, media, request)
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
        pipeline: Pipeline = request.app.state.pipeline
        caller = await pipeline.authenticate(
            request.headers.get("authorization"), remote_address(request)
        )
        async with pipeline.slot(caller):
            batch = body if isinstance(body, list) else [body]
            await pipeline.admit(caller, len(batch))
            if not isinstance(body, list):
                answer, executed = await self._answer(pipeline, caller, request, body, allowed)
                status = 200 if executed or media == JSON else 400
                return json_response(answer, status=status, media=media)
            async with asyncio.TaskGroup() as group:
                tasks = [
                    group.create_task(self._answer_in_batch(pipeline, caller, request, p, allowed))
                    for p in body
                ]
            return json_response([task.result() for task in tasks], media=media)

    async def _answer_in_batch(
        self,
        pipeline: Pipeline,
        caller: Caller,
        request: Request,
        params: GraphQLParams,
        allowed: frozenset[OperationType],
    ) -> dict[str, Any]:
        try:
            answer, _ = await self._answer(pipeline, caller, request, params, allowed)
        except HttpError as error:
            return error_body(error.message, error.code)
        return answer

    async def _answer(
        self,
        pipeline: Pipeline,
        caller: Caller,
        request: Request,
        params: GraphQLParams,
        allowed: frozenset[OperationType],
    ) -> tuple[dict[str, Any], bool]:
        """One operation's response body, and whether its execution began."""
        try:
            result = await pipeline.execute(caller, params, request, allowed)
        except Refusal as refusal:
            return error_body(refusal.message, refusal.code), False
        except InvalidOperationTypeError as error:
            if request.method == "GET" and error.operation_type is OperationType.MUTATION:
                raise HttpError(
                    405, "Mutations need POST: GET runs queries only.", {"Allow": "POST"}
                ) from None
            if request.method == "GET":
                raise HttpError(405, "GET runs queries only.", {"Allow": "POST"}) from None
            return error_body(
                "Subscriptions are not served over HTTP: use the WebSocket endpoint."
            ), False
        except MissingQueryError:
            return error_body("The query is empty: send a GraphQL document."), False
        except CannotGetOperationTypeError as error:
            name = error.operation_name
            message = (
                f"Unknown operation named {name!r}."
                if name
                else "No operation to run: the document defines none."
            )
            return error_body(message), False
        answer = payload(result)
        return answer, "data" in answer


def refusal_response(refusal: Refusal, media: str, request: Request) -> Response:
    """A refusal of the whole request: its own status (with ``Retry-After`` or
    ``WWW-Authenticate`` where due), or a GraphQL request error."""
    headers: dict[str, str] = {}
    if refusal.retry_after is not None:
        headers["Retry-After"] = str(refusal.retry_after)
    if refusal.code == UNAUTHENTICATED:
        sent = request.headers.get("authorization") is not None
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"' if sent else "Bearer"
    status = status_of(refusal.code) or (200 if media == JSON else 400)
    return json_response(
        error_body(refusal.message, refusal.code), status=status, media=media, headers=headers
    )
