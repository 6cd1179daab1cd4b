"""Subscriptions over WebSocket at /graphql (``graphql-transport-ws``), via strawberry.

HTTP requests to /graphql go to ``hub.http``; only the WebSocket upgrade comes here, with
the same per-connection ``Context`` the HTTP endpoint builds per request.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from resolvers.context import Context


class SubscriptionEndpoint(GraphQL[Context, None]):
    def __init__(self, schema: Schema) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            keep_alive=True,
            keep_alive_interval=15,
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        """The same context as an HTTP request gets: federation, orders, fresh loaders."""
        state = request.app.state
        return Context(state.federation, request, orders_service=state.orders)
