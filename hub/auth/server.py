"""``POST /oauth/token``: authlib's authorization server, client-credentials grant only.

authlib's server is synchronous and has no starlette integration. So the endpoint first
does the asynchronous part itself (reads the form, at most 8 KiB, loads the client from the database,
checks the secret off the event loop) and then hands authlib a request whose client is
already known: authlib still decides everything OAuth (grant type, client authentication
method, scopes, the error shapes of RFC 6749 section 5.2).

Wrong secrets, unknown clients and unreadable credentials count as failures against the
remote address and the client id (``hub.auth.throttle``). Past the allowance the answer
is 429 with ``Retry-After`` and ``{"error": "temporarily_unavailable", ...}``, given
before the client is loaded or any secret hashed; a request that queued for a hashing
slot (``SecretVerifier``) is checked again once it has one.
"""

from __future__ import annotations

import binascii
import functools
import hmac
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl

import orjson
from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import (
    ClientMixin,
    InvalidClientError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
)
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from starlette.requests import Request
from starlette.responses import Response

from hub.auth.clients import ClientRecord, ClientStore
from hub.auth.hashing import SecretVerifier
from hub.auth.scopes import SCOPES, scope_text
from hub.auth.throttle import FailureThrottle, loggable
from hub.auth.tokens import TokenIssuer
from hub.refusal import Refusal

logger = logging.getLogger("hub.auth")

AUTH_METHODS = ("client_secret_basic", "client_secret_post")
MAX_FORM_BYTES = 8192
MAX_CLIENT_ID = 64
GRANT_TYPE = "client_credentials"
# RFC 6749 defines no error for "too many attempts"; this registered one says "later".
THROTTLED_ERROR = "temporarily_unavailable"


class HubClient(ClientMixin):  # type: ignore[misc]
    """A stored client, with the outcome of checking the secret this request presented."""

    def __init__(self, record: ClientRecord, presented: str, secret_ok: bool) -> None:
        self.record = record
        self._presented = presented
        self._secret_ok = secret_ok

    def get_client_id(self) -> str:
        return self.record.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        """Every granted scope when none is asked for; else those asked (checked already)."""
        if not scope:
            return scope_text(self.record.scopes)
        return scope_text(set(scope.split()) & self.record.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        same = hmac.compare_digest(client_secret.encode(), self._presented.encode())
        return self._secret_ok and same

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == GRANT_TYPE


class HubClientCredentialsGrant(ClientCredentialsGrant):  # type: ignore[misc]
    """Client credentials, refusing any scope the client was not granted."""

    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)  # noqa: RUF012

    def validate_requested_scope(self) -> None:
        super().validate_requested_scope()  # unknown scopes: invalid_scope
        requested = set((self.request.payload.scope or "").split())
        client: HubClient = self.request.client
        missing = requested - client.record.scopes
        if missing:
            raise InvalidScopeError(
                description=f"not granted to this client: {scope_text(missing)}"
            )


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


# The client loaded for the request authlib is handling now (authlib asks by id only).
_current_client: ContextVar[HubClient | None] = ContextVar("current_client", default=None)


class HubAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """Issues the hub's JWT access tokens to clients in ``store``.

    ``throttle`` (None: no throttling) counts failed client authentications;
    ``verifier`` checks secrets off the event loop (default: one check at a time).
    """

    def __init__(
        self,
        store: ClientStore,
        tokens: TokenIssuer,
        *,
        throttle: FailureThrottle | None = None,
        verifier: SecretVerifier | None = None,
    ) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.store = store
        self.tokens = tokens
        self.throttle = throttle
        self.verifier = verifier if verifier is not None else SecretVerifier(1)
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=self._access_token,
                expires_generator=lambda _client, _grant_type: tokens.ttl_seconds,
            ),
        )
        self.register_grant(HubClientCredentialsGrant)

    def _access_token(self, client: HubClient, grant_type: str, user: object, scope: str) -> str:
        return self.tokens.issue(client.record.client_id, client.record.organization, scope)

    def query_client(self, client_id: str) -> HubClient | None:
        client = _current_client.get()
        if client is None or client.record.client_id != client_id or not client.record.active:
            return None
        return client

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Nothing to store: the tokens are self-contained JWTs."""

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        """The hub does not listen to authlib's signals."""

    def create_oauth2_request(self, request: FormRequest) -> FormRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        response = Response(orjson.dumps(body), status_code=status, headers=dict(headers))
        response.headers["content-type"] = "application/json"
        response.headers["cache-control"] = "no-store"
        response.headers["pragma"] = "no-cache"
        return response

    async def respond(self, request: Request, *, allow_plain_http: bool) -> Response:
        """Answer one token request."""
        try:
            form = await _read_form(request)
            uri = str(request.url)
            if allow_plain_http and uri.startswith("http://"):
                uri = "https://" + uri.removeprefix("http://")
            oauth_request = FormRequest(request.method, uri, request.headers, form)
            client = await self._load_client(request, form)
        except OAuth2Error as error:
            return self.handle_response(*error())
        except Refusal as refusal:
            return self._throttled(refusal)
        token = _current_client.set(client)
        try:
            response: Response = self.create_token_response(oauth_request)
        finally:
            _current_client.reset(token)
        return response

    def _throttled(self, refusal: Refusal) -> Response:
        return self.handle_response(
            429,
            {"error": THROTTLED_ERROR, "error_description": refusal.message},
            [("Retry-After", str(refusal.retry_after or 1))],
        )

    async def _load_client(self, request: Request, form: dict[str, str]) -> HubClient | None:
        remote = request.client.host if request.client else "unknown"
        try:
            basic_id, basic_secret = _basic_credentials(request.headers)
        except InvalidClientError:
            await self._admit(remote, None)
            await self._failed(remote, None, "unreadable Basic credentials")
            raise
        posted = form.get("client_id") is not None or form.get("client_secret") is not None
        if basic_id is not None and posted:
            raise _invalid_request("authenticate with one method: HTTP Basic or the form")
        client_id = basic_id if basic_id is not None else form.get("client_id")
        secret = basic_secret if basic_id is not None else form.get("client_secret")
        usable_id = client_id if client_id and len(client_id) <= MAX_CLIENT_ID else None
        await self._admit(remote, usable_id)
        if usable_id is None or not secret:
            await self._failed(remote, usable_id, "no usable client credentials")
            return None
        record = await self.store.get(usable_id)
        if record is None or not record.active:
            await self._failed(remote, usable_id, "unknown or revoked client")
            return None
        secret_ok = await self.verifier.verify(
            secret,
            record.secret_hash,
            admit=functools.partial(self._admit, remote, usable_id),
            # the id matched a stored client, so it is the hub's own text, safe to log
            failed=functools.partial(
                self._failed, remote, usable_id, f"wrong secret for {record.client_id}"
            ),
        )
        return HubClient(record, secret, secret_ok)

    async def _admit(self, remote: str, client_id: str | None) -> None:
        if self.throttle is None:
            return
        try:
            await self.throttle.admit(remote, client_id)
        except Refusal as refusal:
            logger.warning("token request from %s throttled: %s", loggable(remote), refusal.message)
            raise

    async def _failed(self, remote: str, client_id: str | None, why: str) -> None:
        logger.info("token request from %s refused: %s", loggable(remote), why)
        if self.throttle is not None:
            await self.throttle.failed(remote, client_id)


def _basic_credentials(headers: Mapping[str, str]) -> tuple[str | None, str | None]:
    """HTTP Basic client credentials as authlib reads them; ``InvalidClientError`` if unreadable.

    authlib's reader raises on some headers (no credentials after ``Basic``, bytes that
    are not UTF-8); authlib reads the header again later, so it must not get such a one.
    """
    try:
        basic_id, basic_secret = extract_basic_authorization(headers)
    except (ValueError, binascii.Error, TypeError):  # UnicodeDecodeError is a ValueError
        raise InvalidClientError(
            description="the Basic credentials cannot be read", status_code=401
        ) from None
    return basic_id, basic_secret


async def _read_form(request: Request) -> dict[str, str]:
    if request.method != "POST":
        raise _invalid_request("use POST")
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise _invalid_request("use application/x-www-form-urlencoded")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise _invalid_request("the request body is too large")
    try:
        items = parse_qsl(
            body.decode(), keep_blank_values=True, strict_parsing=bool(body), max_num_fields=20
        )
    except ValueError:  # bad UTF-8, bad syntax or too many fields
        raise _invalid_request("the form cannot be read") from None
    names = [name for name, _ in items]
    if len(names) != len(set(names)):
        raise _invalid_request("a parameter is repeated")
    return dict(items)


def _invalid_request(description: str) -> OAuth2Error:
    return InvalidRequestError(description=description)
