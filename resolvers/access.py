"""Who may do what: scopes per root field, and each organisation's orders kept to itself.

Every root resolver calls :func:`require` first. A request without a principal only reaches
the graph while ``auth_required`` is off (``hub.http`` and ``hub.websocket`` refuse it
otherwise), so it is let through, as in development. With a principal:

* a missing scope is FORBIDDEN, before anything is read or written;
* an order is visible and changeable only when its ``buyer_id`` is the principal's
  organisation. Another organisation's order reads as absent (``order``, ``node`` and
  ``nodes`` give null; ``cancelOrder`` and ``orderUpdates`` give NOT_FOUND, the same answer
  as for an order that does not exist), so no path reveals that it exists. Asking
  explicitly for another organisation's data (a ``buyerId`` filter, a ``placeOrder`` buyer,
  another cooperative's ``transactions``) is FORBIDDEN.
"""

from __future__ import annotations

from federation.errors import ForbiddenError
from resolvers.context import Context

CATALOG_READ = "catalog:read"
ORDERS_READ = "orders:read"
ORDERS_WRITE = "orders:write"
GROUPBUY_WRITE = "groupbuy:write"
PROCUREMENT_READ = "procurement:read"
PROCUREMENT_WRITE = "procurement:write"
ANALYTICS_READ = "analytics:read"


def require(context: Context, scope: str) -> None:
    """Refuse with ForbiddenError unless the request's principal holds ``scope``."""
    principal = context.principal
    if principal is not None and not principal.has_scope(scope):
        raise ForbiddenError(f"this token lacks the `{scope}` scope")


def same_id(first: str, second: str) -> bool:
    """Whether two global IDs are the same, padded or not."""
    return first.rstrip("=") == second.rstrip("=")


def may_act_for(context: Context, buyer_id: str) -> bool:
    """Whether the request may see and change orders of ``buyer_id`` (always, anonymously)."""
    principal = context.principal
    if principal is None:
        return True
    return principal.organization is not None and same_id(principal.organization, buyer_id)


def visible_buyer(context: Context, requested: str | None = None) -> str | None:
    """The buyer whose orders the request may list: None (everyone's) without a principal,
    else the principal's organisation. ForbiddenError when ``requested`` names another
    buyer, or the principal belongs to no organisation."""
    principal = context.principal
    if principal is None:
        return requested
    if principal.organization is None:
        raise ForbiddenError("this token is bound to no organisation, so it owns no orders")
    if requested is not None and not same_id(requested, principal.organization):
        raise ForbiddenError("a token sees only its own organisation's orders")
    return principal.organization


def own_buyer(context: Context, buyer_id: str) -> str:
    """The buyer an order is placed for: ``buyer_id``, when the principal may act for it;
    ForbiddenError otherwise."""
    if not may_act_for(context, buyer_id):
        raise ForbiddenError("a token places orders only for its own organisation")
    principal = context.principal
    if principal is not None and principal.organization is not None:
        return principal.organization
    return buyer_id
