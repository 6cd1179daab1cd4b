"""The three HTTP endpoints of the hub's authorization server."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.auth.keys import ALGORITHM
from hub.auth.scopes import SCOPES
from hub.auth.server import AUTH_METHODS, GRANT_TYPE
from hub.auth.service import AuthService

TOKEN_PATH = "/oauth/token"
JWKS_PATH = "/.well-known/jwks.json"
METADATA_PATH = "/.well-known/oauth-authorization-server"


def _auth(request: Request) -> AuthService:
    auth: AuthService = request.app.state.auth
    return auth


def _json(payload: Any, cache: str) -> Response:
    return Response(
        orjson.dumps(payload), media_type="application/json", headers={"Cache-Control": cache}
    )


async def token(request: Request) -> Response:
    """``POST /oauth/token`` (RFC 6749 section 4.4)."""
    auth = _auth(request)
    return await auth.server.respond(
        request, allow_plain_http=auth.settings.environment == "development"
    )


async def jwks(request: Request) -> Response:
    """``GET /.well-known/jwks.json``: the public keys that verify the hub's tokens."""
    return _json(_auth(request).keys.jwks(), "public, max-age=300")


def server_metadata(issuer: str) -> dict[str, Any]:
    """Authorization server metadata (RFC 8414) for ``issuer``."""
    return {
        "issuer": issuer,
        "token_endpoint": f"{issuer}{TOKEN_PATH}",
        "jwks_uri": f"{issuer}{JWKS_PATH}",
        "grant_types_supported": [GRANT_TYPE],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "scopes_supported": list(SCOPES),
        "access_token_signing_alg_values_supported": [ALGORITHM],
    }


async def metadata(request: Request) -> Response:
    """``GET /.well-known/oauth-authorization-server``, for the issuer that signs the
    tokens (``HUB_AUTH_ISSUER``, else the URL the hub is bound to: ``hub.app.served_at``)."""
    issuer = _auth(request).server.tokens.issuer  # what the tokens' ``iss`` says
    return _json(server_metadata(issuer), "public, max-age=300")


def routes() -> list[Route]:
    """The routes ``hub.app`` mounts."""
    return [
        Route(TOKEN_PATH, token, methods=["POST"]),
        Route(JWKS_PATH, jwks, methods=["GET"]),
        Route(METADATA_PATH, metadata, methods=["GET"]),
    ]
