"""The OAuth2 token endpoint: authlib's server, client credentials grant, JWT tokens.

authlib has no starlette integration, so the form is read asynchronously first and
authlib then runs synchronously on a request object built from it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from typing import Any

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from networks.common.http import MAX_BODY_BYTES
from networks.padi.tokens import TokenService

SCOPES = ("catalog:read", "orders:write", "procurement:write")


class Client(ClientMixin):  # type: ignore[misc]
    """A registered OAuth client: an id and a secret, allowed every PaDi scope."""

    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id = client_id
        self._secret = secret

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return " ".join(SCOPES)
        return " ".join(s for s in scope.split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self._secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class ClientCredentials(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]  # noqa: RUF012


class FormRequest(OAuth2Request):  # type: ignore[misc]
    """An authlib request over a form that was already read."""

    def __init__(
        self, method: str, uri: str, headers: Mapping[str, str], form: dict[str, str]
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._form = form
        self.payload = BasicOAuth2Payload(form)

    @property
    def form(self) -> dict[str, str]:
        return self._form


class PadiAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """Issues PaDi's JWT access tokens to the configured clients."""

    def __init__(self, clients: dict[str, str], tokens: TokenService) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self._clients = {cid: Client(cid, secret) for cid, secret in clients.items()}
        generator = BearerTokenGenerator(
            access_token_generator=self._access_token,
            expires_generator=lambda _client, _grant: tokens.ttl_seconds,
        )
        self._tokens = tokens
        self.register_token_generator("default", generator)
        self.register_grant(ClientCredentials)

    def _access_token(self, client: Client, grant_type: str, user: object, scope: str) -> str:
        return self._tokens.issue(client.get_client_id(), scope)

    def query_client(self, client_id: str) -> Client | None:
        return self._clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Nothing to store: the tokens are self-contained JWTs."""

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        """PaDi does not listen to authlib's signals."""

    def create_oauth2_request(self, request: FormRequest) -> FormRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        return Response(
            json.dumps(body),
            status_code=status,
            headers=dict(headers),
            media_type="application/json",
        )


async def token_endpoint(
    request: Request, server: PadiAuthorizationServer, allow_plain_http: bool
) -> Response:
    """``POST /oauth/token``: the form is read here, authlib decides the rest."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _oauth_error(413, "invalid_request", "body too large")
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return _oauth_error(400, "invalid_request", "use application/x-www-form-urlencoded")
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    uri = str(request.url)
    if allow_plain_http and uri.startswith("http://"):
        uri = "https://" + uri.removeprefix("http://")
    oauth_request = FormRequest(request.method, uri, request.headers, form)
    response: Response = server.create_token_response(oauth_request)
    response.headers["Cache-Control"] = "no-store"
    return response


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)
