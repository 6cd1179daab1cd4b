"""``GET /ocds/releases``: a BUMN's OCDS releases in bulk, as OCDS publishers serve them.

``?since=<ISO 8601 date or date-time>&buyer=<the BUMN's organisation ID>`` answers a
release package with every release of the BUMN's contracting processes dated at or after
``since``, oldest first, at most ``limit`` (default and most: 100) per page; a fuller
answer has ``links.next``, the URL of the next page (the same query with ``after``). Each
release is the one ``Rfq.ocds`` has: derived from its stage's own facts, so a release
fetched twice is the same bytes.

It takes a bearer token of that BUMN with ``procurement:read`` and passes the request
pipeline's authentication, load shedding and rate limit (``hub.pipeline``). Errors have the GraphQL shape the hub
uses everywhere (``{"errors": [{"message", "extensions": {"code"}}]}``): 401
UNAUTHENTICATED (no or a bad token), 429 RATE_LIMITED (over the caller's rate limit, or a
client failing too often), 503 OVERLOADED,
400 BAD_USER_INPUT (``since`` missing, malformed or in the future; ``buyer`` not a BUMN's
ID; ``limit`` or ``after`` malformed), 403 FORBIDDEN (another organisation's buyer, or a
token without the scope). The endpoint only reads.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from federation.errors import ForbiddenError, InputError
from federation.procurement import ocds, publication
from federation.procurement.model import OrgKind
from federation.procurement.service import ProcurementService
from hub.http import error_body, json_response, refusal_response
from hub.media import JSON
from hub.pipeline import Caller, Pipeline, remote_address
from hub.refusal import UNAUTHENTICATED, Refusal
from resolvers import access
from resolvers.principal import Principal
from resolvers.procurement import named

PATH = "/ocds/releases"
BAD_USER_INPUT = "BAD_USER_INPUT"
FORBIDDEN = "FORBIDDEN"


async def releases(request: Request) -> Response:
    """Answer one bulk request (see the module's docstring)."""
    try:
        return await _releases(request)
    except Refusal as refusal:
        return refusal_response(refusal, JSON, request)
    except InputError as error:
        return json_response(error_body(str(error), BAD_USER_INPUT), status=400)
    except ForbiddenError as error:
        return json_response(error_body(str(error), FORBIDDEN), status=403)


def routes() -> list[Route]:
    """The bulk releases route."""
    return [Route(PATH, releases, methods=["GET"])]


async def _releases(request: Request) -> Response:
    # The request pipeline's own steps: authentication (failures throttled), load
    # shedding and the caller's rate limit, as for any GraphQL operation.
    pipeline: Pipeline = request.app.state.pipeline
    caller = await pipeline.authenticate(
        request.headers.get("authorization"), remote_address(request)
    )
    async with pipeline.slot(caller):
        await pipeline.admit(caller)
        return await _page(request, _principal(caller))


async def _page(request: Request, principal: Principal) -> Response:
    query = request.query_params
    service: ProcurementService | None = request.app.state.services.procurement
    if service is None:
        return json_response(error_body("This hub keeps no procurement.", "NOT_FOUND"), status=404)
    now = service.clock()
    start = _since(query.get("since"), now)
    buyer = _buyer(query.get("buyer"), principal)
    limit = _limit(query.get("limit"))
    page = await publication.since(
        service.store,
        service.orders.store,
        buyer,
        start.timestamp(),
        after=query.get("after"),
        limit=limit,
    )
    links = None
    if page.after is not None:
        links = {"next": str(request.url.include_query_params(after=page.after))}
    package = ocds.release_package(
        page.releases,
        uri=str(request.url),
        links=links,
        now=dt.datetime.fromtimestamp(now, dt.UTC),
    )
    return json_response(package)


def _principal(caller: Caller) -> Principal:
    """The caller's principal: a token is needed here even where the hub runs open."""
    principal = caller.principal
    if principal is None:
        raise Refusal(
            UNAUTHENTICATED,
            "Authentication required: send Authorization: Bearer <access token> "
            "(get one from POST /oauth/token).",
        )
    if not principal.has_scope(access.PROCUREMENT_READ):
        raise ForbiddenError(f"this token lacks the `{access.PROCUREMENT_READ}` scope")
    return principal


def _since(given: str | None, now: float) -> dt.datetime:
    """``since`` as an aware date-time: a date is its midnight UTC, a date-time without an
    offset is UTC; InputError when missing, malformed or after ``now``."""
    if not given:
        raise InputError("`since` is required: an ISO 8601 date or date-time, e.g. 2025-07-01")
    try:
        parsed = dt.datetime.fromisoformat(given)
    except ValueError:
        raise InputError(
            "`since` must be an ISO 8601 date or date-time, e.g. 2025-07-01 or 2025-07-01T08:00:00Z"
        ) from None
    start = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
    if start.timestamp() > now:
        raise InputError("`since` is in the future: no release is dated after now")
    return start


def _buyer(given: str | None, principal: Principal) -> str:
    """The BUMN ``buyer`` names (its organisation ID, as its token carries it): the token's
    own, else FORBIDDEN; InputError when it names no BUMN."""
    if not given:
        raise InputError("`buyer` is required: the BUMN's organisation ID")
    try:
        buyer = named(given, OrgKind.BUMN, "buyer")
    except InputError:
        # The argument's text is not echoed: error messages are the hub's own words.
        raise InputError("`buyer` must be the organisation ID of a BUMN") from None
    try:
        own = named(principal.organization or "", OrgKind.BUMN, "buyer")
    except InputError:
        raise ForbiddenError("OCDS releases are a BUMN's: this token is not a BUMN's") from None
    if own != buyer:
        raise ForbiddenError("a token reads only its own BUMN's releases")
    return buyer.id


def _limit(given: str | None) -> int:
    if given is None:
        return publication.MAX_PAGE
    if not given.isdigit() or not 1 <= int(given) <= publication.MAX_PAGE:
        raise InputError(f"`limit` must be 1-{publication.MAX_PAGE}")
    return int(given)
