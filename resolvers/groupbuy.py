"""Group buys: arguments checked and global IDs decoded, then the group-buy service.

Who may do what (the rules are declared on the fields, ``schema/groupbuy.py``, and
enforced by ``resolvers.access``):

* reading group buys needs ``catalog:read``: they are offers any cooperative may find and
  join, so anonymous requests read them too. A participant's quantity and cost are its own
  business, though: a token sees every participant only when its organisation coordinates
  the group buy, and otherwise only its own entry (``visible_participants``); an anonymous
  request sees none. Filtering by ``participantId`` is for the token's own cooperative
  (FORBIDDEN for another, UNAUTHENTICATED anonymously);
* changing one needs a token with ``groupbuy:write``, and the cooperative named in the
  input (the coordinator opening or closing, the participant joining or withdrawing) must
  be the token's organisation: FORBIDDEN otherwise, before anything is written;
* the aggregate order is the coordinator's: other organisations see no ``order``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from federation.errors import ForbiddenError, InputError, NotFoundError
from federation.groupbuy.model import Allocation, GroupBuy, GroupBuyState, Participant
from federation.groupbuy.requests import GroupBuyFilter, OpenGroupBuyRequest
from federation.orders.model import Order
from resolvers import access, validation
from resolvers.context import Context
from resolvers.ids import decode_node, network_key, to_global_id
from resolvers.paging import decode_newest_first, newest_first_cursor


@dataclass(frozen=True)
class GroupBuyPage:
    group_buys: tuple[GroupBuy, ...]
    has_next: bool
    started_after: bool


def global_id(group_buy: GroupBuy) -> str:
    return to_global_id("GroupBuy", group_buy.id)


def cooperative_id(key: tuple[str, str]) -> str:
    return to_global_id("Cooperative", *key)


def cursor(group_buy: GroupBuy) -> str:
    return newest_first_cursor(group_buy.created_at, group_buy.id)


async def open_group_buy(
    context: Context,
    *,
    coordinator_id: str,
    product_id: str,
    closes_at: datetime,
    target_quantity: int | None,
    min_quantity: int,
    partners_only: bool,
    idempotency_key: str | None = None,
) -> GroupBuy:
    """Open a group buy coordinated by the token's own cooperative."""
    access.require(context, access.GROUPBUY_WRITE)
    coordinator = network_key(coordinator_id, "Cooperative", "coordinatorId")
    _act_as(context, coordinator_id)
    if closes_at.tzinfo is None:
        raise InputError("`closesAt` needs a time zone, e.g. 2026-12-01T17:00:00+07:00")
    request = OpenGroupBuyRequest(
        coordinator=coordinator,
        coordinator_label=cooperative_id(coordinator),
        product=network_key(product_id, "Product", "productId"),
        product_label=product_id,
        closes_at=closes_at.timestamp(),
        target_quantity=target_quantity,
        min_quantity=min_quantity,
        partners_only=partners_only,
        idempotency_key=idempotency_key,
    )
    return await context.group_buys.open(context.loaders, request)


async def join_group_buy(
    context: Context, *, group_buy_id: str, cooperative: str, quantity: int
) -> GroupBuy:
    """Commit the token's cooperative to ``quantity``; joining again replaces it."""
    access.require(context, access.GROUPBUY_WRITE)
    key = network_key(cooperative, "Cooperative", "cooperativeId")
    _act_as(context, cooperative)
    native_id = _native(group_buy_id, "groupBuyId")
    return await context.group_buys.join(context.loaders, native_id, key, quantity)


async def withdraw_from_group_buy(
    context: Context, *, group_buy_id: str, cooperative: str
) -> GroupBuy:
    """Take the token's cooperative out of an open group buy."""
    access.require(context, access.GROUPBUY_WRITE)
    key = network_key(cooperative, "Cooperative", "cooperativeId")
    _act_as(context, cooperative)
    return await context.group_buys.withdraw(_native(group_buy_id, "groupBuyId"), key)


async def close_group_buy(context: Context, *, group_buy_id: str, cooperative: str) -> GroupBuy:
    """Close now, as the coordinator: the aggregate order is placed and allocated."""
    access.require(context, access.GROUPBUY_WRITE)
    key = network_key(cooperative, "Cooperative", "cooperativeId")
    _act_as(context, cooperative)
    native_id = _native(group_buy_id, "id")
    return await context.group_buys.close(context.loaders, native_id, key)


async def group_buy(context: Context, group_buy_id: str) -> GroupBuy | None:
    """One group buy (catalog:read); None when there is none."""
    access.require(context, access.CATALOG_READ)
    try:
        return await context.group_buys.get(_native(group_buy_id, "id"))
    except NotFoundError:
        return None


async def group_buys(
    context: Context,
    *,
    status: GroupBuyState | None,
    product_id: str | None,
    coordinator_id: str | None,
    participant_id: str | None,
    first: int,
    after: str | None,
) -> GroupBuyPage:
    """Newest first, narrowed by the filter (catalog:read; ``participant_id`` only the
    token's own cooperative)."""
    access.require(context, access.CATALOG_READ)
    first = validation.page_size(first, context.federation.limits.max_page_size)
    where = GroupBuyFilter(
        status=status,
        product=network_key(product_id, "Product", "productId") if product_id else None,
        coordinator=(
            network_key(coordinator_id, "Cooperative", "coordinatorId") if coordinator_id else None
        ),
        participant=(
            network_key(participant_id, "Cooperative", "participantId") if participant_id else None
        ),
    )
    # Also guarded on the field: whose group buys a cooperative joined is its own business.
    if participant_id is not None and not access.may_act_for(context, participant_id):
        raise ForbiddenError("a token sees only its own cooperative's group buys")
    position = decode_newest_first(after, "a group buy") if after else None
    found = await context.group_buys.list(where, first + 1, position)
    return GroupBuyPage(tuple(found[:first]), len(found) > first, after is not None)


async def group_buy_updates(context: Context, group_buy_id: str) -> AsyncIterator[GroupBuy]:
    """The group buy now, then on every change until it ends (catalog:read)."""
    access.require(context, access.CATALOG_READ)
    async for found in context.group_buys.watch(_native(group_buy_id, "groupBuyId")):
        yield found


def visible_participants(context: Context, group_buy: GroupBuy) -> Sequence[Participant]:
    """Every participant for the coordinator, one's own for another token, none anonymously."""
    if _sees_all(context, group_buy):
        return group_buy.participants
    return [p for p in group_buy.participants if _is_own(context, p.key)]


def visible_allocations(context: Context, group_buy: GroupBuy) -> Sequence[Allocation]:
    """As ``visible_participants``, for what each was allocated at the close."""
    if _sees_all(context, group_buy):
        return group_buy.allocations
    return [a for a in group_buy.allocations if _is_own(context, a.key)]


async def aggregate_order(context: Context, group_buy: GroupBuy) -> Order | None:
    """The aggregate order, for the coordinator only (it is the coordinator's order)."""
    if group_buy.order_id is None or not _sees_all(context, group_buy):
        return None
    return await context.orders.store.load(group_buy.order_id)


def _sees_all(context: Context, group_buy: GroupBuy) -> bool:
    return access.may_act_for(context, cooperative_id(group_buy.coordinator))


def _is_own(context: Context, key: tuple[str, str]) -> bool:
    return access.may_act_for(context, cooperative_id(key))


def _act_as(context: Context, cooperative: str) -> None:
    if not access.may_act_for(context, cooperative):
        raise ForbiddenError("a token acts in group buys only for its own cooperative")


def _native(group_buy_id: str, argument: str) -> str:
    return decode_node(group_buy_id, "GroupBuy", argument)[0]
