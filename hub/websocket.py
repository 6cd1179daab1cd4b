"""Subscriptions over WebSocket at /graphql (``graphql-transport-ws``), via strawberry.

HTTP requests to /graphql go to ``hub.http``; only the WebSocket upgrade comes here, with
the same per-connection ``Context`` the HTTP endpoint builds per request. A client
authenticates with ``Authorization`` on the upgrade request or in ``connection_init``'s
payload (browsers cannot set headers on a WebSocket); the connection is refused as the
HTTP endpoint would refuse the request.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from hub.auth.principal import AuthError
from resolvers.context import Context


class SubscriptionEndpoint(GraphQL[Context, None]):
    def __init__(self, schema: Schema, *, auth_required: bool) -> None:
        self.auth_required = auth_required
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
        """The same context as an HTTP request gets: federation, services, fresh loaders."""
        state = request.app.state
        return Context(state.federation, request, services=state.services)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticate the connection once, from the header or the init payload.

        Returns None: an empty ``connection_ack``.
        """
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        if not isinstance(header, str):
            header = context.request.headers.get("authorization")
        if header is None:
            if self.auth_required:
                raise ConnectionRejectionError(
                    {"code": "UNAUTHENTICATED", "message": "Authentication required."}
                )
            return None
        try:
            context.principal = await context.request.app.state.auth.validator.authenticate(header)
        except AuthError as error:
            raise ConnectionRejectionError(
                {"code": "UNAUTHENTICATED", "message": f"Invalid access token: {error.message}."}
            ) from None
        return None
