"""``/graphql``: strawberry's ASGI view behind PaDi's token check and rate limit.

Errors reach clients only as PaDi codes in ``extensions.code``; anything unexpected is
reduced to INTERNAL without its message. Requests that never execute (bad JSON, syntax
or validation errors) are answered 400.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException as StrawberryHTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from networks.common.app import database
from networks.common.errors import ApiError
from networks.padi.context import PadiContext
from networks.padi.errors import INTERNAL, PadiError
from networks.padi.ratelimit import RateLimiter
from networks.padi.settings import PadiSettings
from networks.padi.tokens import Caller, TokenService

INVALID_QUERY = "INVALID_QUERY"


def format_error(error: GraphQLError) -> dict[str, Any]:
    """One GraphQL error as a client sees it: message, locations, path and PaDi's code."""
    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, PadiError):
        extensions: dict[str, Any] = {"code": original.code}
        if original.details:
            extensions["details"] = original.details
        formatted["message"] = original.message
    elif error.path is None:
        extensions = {"code": INVALID_QUERY}
    else:
        extensions = {"code": INTERNAL}
        formatted["message"] = "internal error"
    formatted["extensions"] = extensions
    return formatted


class PadiGraphQL(GraphQL[PadiContext, None]):
    """The GraphQL endpoint: authenticated, rate-limited, with PaDi's error format."""

    def __init__(
        self, schema: Any, settings: PadiSettings, tokens: TokenService, limiter: RateLimiter
    ) -> None:
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=True)
        self.settings = settings
        self.tokens = tokens
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        caller = self.tokens.verify(request.headers.get("authorization"))
        self.limiter.take(caller.client_id)
        request.state.caller = caller
        try:
            response = await self.run(request)
        except StrawberryHTTPException as error:
            code = "method_not_allowed" if error.status_code == 405 else "invalid_request"
            raise ApiError(error.status_code, code, error.reason) from None
        await response(scope, receive, send)

    async def get_context(self, request: Any, response: Any) -> PadiContext:
        caller: Caller = request.state.caller
        return PadiContext(db=database(request), settings=self.settings, caller=caller)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(e) for e in result.errors]
        return data

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if _never_executed(response_data):
            response.status_code = 400
        return response


def _never_executed(response_data: Any) -> bool:
    if not isinstance(response_data, dict) or response_data.get("data") is not None:
        return False
    errors = response_data.get("errors") or []
    return bool(errors) and all(e["extensions"]["code"] == INVALID_QUERY for e in errors)
