"""Who may do what: a rule on every root field and node type, each organisation kept to itself.

Rules are declared where the schema defines what they guard, and enforced here:

* every root field (Query, Mutation, Subscription) carries a :class:`Guard` field extension
  (made by :func:`catalogue`, :func:`owned` or :func:`per_node`) holding its :class:`Rule`;
* every type ``node``/``nodes`` can return is registered with :func:`node_rule`.

``tests/schema/test_tenancy.py`` walks the built schema and fails for a root field without a
guard, an argument naming an organisation that its rule does not cover, or a node type
without a rule; it then derives the tenant tests from the same rules.

What a rule means:

* a missing scope is FORBIDDEN, before anything is read or written;
* **organisation-owned** fields (orders, RFQs and quotes, spend, and every mutation, which
  acts for an organisation) need a principal: without one (only possible while
  ``auth_required`` is off, as in ``hub demo``) they are UNAUTHENTICATED. **Public** fields
  (the catalogue: products, suppliers, cooperatives, networks, group buys as offers) answer
  anonymous requests too, but their private sub-fields (a group buy's participants,
  allocations and aggregate order) show an anonymous caller nothing;
* an argument that names an organisation whose private data it selects (``own`` paths:
  ``buyerId``, ``participantId``, ``cooperativeId`` of ``transactions``, ``buyer`` of
  ``spend``...) must name the principal's own organisation: another is FORBIDDEN, and
  anonymously UNAUTHENTICATED. An argument naming an organisation whose data is public
  (``public`` paths, each with the reason) is left alone;
* a record asked for by ID (``order``, ``node``, ``cancelOrder``, ``orderUpdates``) that is
  another organisation's reads as absent: null, or NOT_FOUND where a missing one is
  NOT_FOUND, so no path reveals that it exists.
"""

from __future__ import annotations

import base64
import binascii
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.utils.str_converters import to_snake_case

from federation.errors import ForbiddenError, InputError, UnauthenticatedError
from resolvers.context import Context

CATALOG_READ = "catalog:read"
ORDERS_READ = "orders:read"
ORDERS_WRITE = "orders:write"
GROUPBUY_WRITE = "groupbuy:write"
PROCUREMENT_READ = "procurement:read"
PROCUREMENT_WRITE = "procurement:write"
ANALYTICS_READ = "analytics:read"


class Tenancy(Enum):
    """Whose data a field answers with."""

    PUBLIC = "public"  # the catalogue: anyone holding the scope, anonymous requests too
    OWNED = "owned"  # an organisation's own: a principal is needed, and sees only its own


@dataclass(frozen=True)
class Rule:
    """The access rule of one root field.

    ``own`` and ``public`` are argument paths in GraphQL names (``filter.participantId``):
    ``own`` ones must name the principal's organisation; ``public`` ones name an
    organisation whose data is public anyway, each with the reason. ``scope`` None: the
    scope depends on what is asked (``node``/``nodes``, by each type's :class:`NodeRule`).
    """

    scope: str | None
    tenancy: Tenancy
    own: tuple[str, ...] = ()
    public: tuple[tuple[str, str], ...] = ()

    @property
    def public_paths(self) -> frozenset[str]:
        """The ``public`` paths without their reasons."""
        return frozenset(path for path, _ in self.public)


@dataclass(frozen=True)
class NodeRule:
    """The access rule of a type fetched by ID through ``node``/``nodes``."""

    scope: str
    tenancy: Tenancy


class Guard(FieldExtension):
    """Enforces a root field's :class:`Rule` before its resolver runs."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        enforce(self.rule, info.context, kwargs)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        enforce(self.rule, info.context, kwargs)
        result = next_(source, info, **kwargs)
        # A subscription's resolver hands back its stream, not an awaitable.
        return await result if inspect.isawaitable(result) else result


def catalogue(
    scope: str = CATALOG_READ,
    *,
    own: tuple[str, ...] = (),
    public: Mapping[str, str] | None = None,
) -> Guard:
    """The guard of a public field: ``scope``, and ``own`` paths kept to the principal's
    organisation; ``public`` maps paths naming an organisation to why that is harmless."""
    return Guard(Rule(scope, Tenancy.PUBLIC, own, tuple((public or {}).items())))


def owned(scope: str, *, own: tuple[str, ...] = ()) -> Guard:
    """The guard of an organisation-owned field: ``scope`` and a principal, and ``own``
    paths kept to the principal's organisation."""
    return Guard(Rule(scope, Tenancy.OWNED, own))


def per_node() -> Guard:
    """The guard of ``node``/``nodes``: each ID's type rule applies (:func:`check_node`)."""
    return Guard(Rule(None, Tenancy.PUBLIC))


NODE_RULES: dict[str, NodeRule] = {}
_T = TypeVar("_T", bound=type)


def node_rule(scope: str, tenancy: Tenancy) -> Callable[[_T], _T]:
    """Class decorator (above ``@strawberry.type``): the rule for fetching the type by ID."""

    def register(cls: _T) -> _T:
        definition = getattr(cls, "__strawberry_definition__", None)
        NODE_RULES[definition.name if definition is not None else cls.__name__] = NodeRule(
            scope, tenancy
        )
        return cls

    return register


def check_node(context: Context, type_name: str) -> None:
    """Refuse fetching a ``type_name`` by ID unless its rule allows: FORBIDDEN without its
    scope, UNAUTHENTICATED anonymously for an organisation's own type."""
    rule = NODE_RULES.get(type_name)
    if rule is None:
        raise InputError(f"{type_name} is not fetched by ID")
    require(context, rule.scope)
    if rule.tenancy is Tenancy.OWNED:
        authenticated(context, f"a {type_name}")


def enforce(rule: Rule, context: Context, arguments: Mapping[str, Any]) -> None:
    """Refuse a root field's request unless ``rule`` allows it (``arguments`` as the
    resolver receives them)."""
    if rule.scope is not None:
        require(context, rule.scope)
    named = [(path, value) for path in rule.own for value in argument_values(arguments, path)]
    if rule.tenancy is Tenancy.OWNED or named:
        authenticated(context, "an organisation's data")
    for path, value in named:
        if not same_id(value, _organisation(context)):
            _check_shape(value, path)
            raise ForbiddenError(
                f"`{path}` names another organisation: a token sees and acts only for its own"
            )


def argument_values(arguments: Mapping[str, Any], path: str) -> list[str]:
    """The values at ``path`` (GraphQL names, dotted) of a resolver's arguments: none when
    a step is absent, several through lists."""
    first, *rest = path.split(".")
    found: list[Any] = [arguments.get(to_snake_case(first))]
    for step in rest:
        attribute = to_snake_case(step)
        found = [getattr(item, attribute, None) for item in _flat(found)]
    return [str(value) for value in _flat(found)]


def _flat(values: list[Any]) -> Iterator[Any]:
    for value in values:
        if isinstance(value, list):
            yield from _flat(value)
        elif value is not None:
            yield value


def _check_shape(value: str, path: str) -> None:
    """InputError for a value that is no global ID at all: a typo is not a tenant breach."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InputError(f"`{path}`: {value!r} is not an ID this API issued") from None
    kind, _, rest = raw.partition(":")
    if not kind or not rest:
        raise InputError(f"`{path}`: {value!r} is not an ID this API issued")


def require(context: Context, scope: str) -> None:
    """Refuse with ForbiddenError unless the request's principal holds ``scope`` (an
    anonymous request holds every scope of the public fields it may reach)."""
    principal = context.principal
    if principal is not None and not principal.has_scope(scope):
        raise ForbiddenError(f"this token lacks the `{scope}` scope")


def authenticated(context: Context, what: str = "an organisation's data") -> None:
    """UnauthenticatedError for a request without a principal."""
    if context.principal is None:
        raise UnauthenticatedError(f"{what} needs a token: send `Authorization: Bearer ...`")


def _organisation(context: Context) -> str:
    """The principal's organisation; ForbiddenError for a token bound to none."""
    authenticated(context)
    organisation = context.principal.organization if context.principal else None
    if organisation is None:
        raise ForbiddenError("this token is bound to no organisation, so it owns no data")
    return organisation


def same_id(first: str, second: str) -> bool:
    """Whether two global IDs are the same, padded or not."""
    return first.rstrip("=") == second.rstrip("=")


def may_act_for(context: Context, organisation: str) -> bool:
    """Whether the request may see and change the data of ``organisation``: only its own
    principal's (never an anonymous request)."""
    principal = context.principal
    if principal is None or principal.organization is None:
        return False
    return same_id(principal.organization, organisation)


def visible_buyer(context: Context, requested: str | None = None) -> str:
    """The buyer whose orders the request may list: the principal's organisation.
    ForbiddenError when ``requested`` names another buyer or the principal belongs to no
    organisation; UnauthenticatedError without a principal."""
    own = _organisation(context)
    if requested is not None and not same_id(requested, own):
        raise ForbiddenError("a token sees only its own organisation's orders")
    return own


def own_buyer(context: Context, buyer_id: str) -> str:
    """The buyer an order is placed for: the principal's organisation, which ``buyer_id``
    must name (ForbiddenError otherwise; UnauthenticatedError without a principal)."""
    own = _organisation(context)
    if not same_id(own, buyer_id):
        raise ForbiddenError("a token places orders only for its own organisation")
    return own
