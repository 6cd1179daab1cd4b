"""``GroupBuyService``: what the graph calls to open, join, close, read and watch group buys."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence

from federation.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PriceChangedError,
)
from federation.groupbuy.checks import (
    check_member,
    check_quantity,
    draft_group_buy,
    live_product,
)
from federation.groupbuy.closing import GroupBuyClosing
from federation.groupbuy.model import GroupBuy, GroupBuyState, Key
from federation.groupbuy.requests import GroupBuyFilter, OpenGroupBuyRequest
from federation.groupbuy.store import GroupBuyStore
from federation.groupbuy.worker import GroupBuyWorker
from federation.idempotency import check_key
from federation.loaders import Loaders
from federation.orders.bus import OrderBus
from federation.orders.placing import rupiah, unit_price
from federation.orders.service import OrderService


class GroupBuyService:
    """Group buys over ``orders`` (which places the aggregate orders), kept in ``store``.

    ``worker`` closes group buys at their closing time; run it (``worker.running``) in
    every process, like the order worker.
    """

    def __init__(
        self,
        store: GroupBuyStore,
        orders: OrderService,
        *,
        lease: float = 30.0,
        retry_after: float = 2.0,
        follow_every: float = 1.0,
        poll: float = 0.5,
    ) -> None:
        self.store = store
        self.orders = orders
        self.bus = OrderBus()  # keyed by any id: here, group buy ids
        self.closing = GroupBuyClosing(store, orders, self.bus)
        self.worker = GroupBuyWorker(
            store,
            self.closing,
            lease=lease,
            poll=poll,
            retry_after=retry_after,
            follow_every=follow_every,
        )
        self.lease = lease

    async def open(self, loaders: Loaders, request: OpenGroupBuyRequest) -> GroupBuy:
        """Open a group buy on a product, coordinated by ``request.coordinator``.

        The product's price tiers are taken as they are now. With an idempotency key the
        coordinator used before, the group buy it opened, checked no further. Raises
        InputError, NotFoundError, ForbiddenError (partners-only, by a non-partner), or
        ConflictError (the key opened a different group buy).
        """
        key = request.request_key()
        if key is not None:
            check_key(key.key, "group buy")
            existing = await self.store.find_by_key(request.coordinator, key)
            if existing is not None:
                return existing
        draft = await draft_group_buy(loaders, request, self.store.clock())
        return await self.store.create(draft)

    async def join(
        self,
        loaders: Loaders,
        group_buy_id: str,
        cooperative: Key,
        quantity: int,
        *,
        label: str | None = None,
    ) -> GroupBuy:
        """Commit ``cooperative`` to ``quantity`` units; joining again replaces its quantity.

        Raises ConflictError once the group buy no longer takes joins, InputError for a
        quantity below the participant minimum or beyond the supplier's stock,
        ForbiddenError for a non-partner on a partners-only group buy, NotFoundError for
        an unknown group buy or cooperative. Nothing is written on any refusal.
        """
        name = label or _label(cooperative)
        group_buy = await self.get(group_buy_id)
        _check_open(group_buy, self.store.clock())
        check_quantity(group_buy, quantity)
        await check_member(loaders, group_buy, cooperative, name)
        product = await live_product(loaders, group_buy)
        await self.store.commit_join(group_buy_id, cooperative, quantity, product.stock)
        self.bus.publish(group_buy_id)
        return await self.get(group_buy_id)

    async def withdraw(
        self, group_buy_id: str, cooperative: Key, *, label: str | None = None
    ) -> GroupBuy:
        """Take ``cooperative`` out of an open group buy.

        Raises ConflictError once it no longer takes changes, NotFoundError when the
        cooperative is not in it.
        """
        group_buy = await self.get(group_buy_id)
        _check_open(group_buy, self.store.clock())
        await self.store.remove(group_buy_id, cooperative, label or _label(cooperative))
        self.bus.publish(group_buy_id)
        return await self.get(group_buy_id)

    async def close(self, loaders: Loaders, group_buy_id: str, by: Key) -> GroupBuy:
        """Close now, as its coordinator ``by``: place the aggregate order and allocate it.

        Returns CLOSED, FAILED (the order failed; nobody is charged), or CLOSING while the
        order is still in flight or a network is unreachable (the worker finishes it).
        Raises ForbiddenError for anyone but the coordinator, ConflictError when it is not
        OPEN or its total cannot be ordered (below the minimum order, beyond the stock).
        """
        group_buy = await self.get(group_buy_id)
        if by != group_buy.coordinator:
            raise ForbiddenError(
                f"only the coordinator, {group_buy.coordinator_name}, can close this group buy"
            )
        if group_buy.status is not GroupBuyState.OPEN:
            raise ConflictError(
                f"this group buy is {group_buy.status.value}: only an OPEN group buy can be closed"
            )
        product = await live_product(loaders, group_buy)
        if product.stock is not None and group_buy.total_quantity > product.stock:
            raise ConflictError(
                f"{product.name}: {group_buy.total_quantity} {product.unit} committed but only "
                f"{product.stock} in stock now: participants must lower their quantities first"
            )
        price, quoted = unit_price(product, group_buy.total_quantity), group_buy.quote.unit_price
        if price > quoted:
            raise PriceChangedError(
                f"{product.name} now costs {rupiah(price)} per {product.unit} for "
                f"{group_buy.total_quantity}, above the {rupiah(quoted)} participants "
                "committed at: the group buy stays open",
                product=group_buy.product,
                unit_price=price,
            )
        owner = f"close-{uuid.uuid4().hex[:12]}"
        await self.store.begin_closing(group_buy_id, owner, self.lease)
        self.bus.publish(group_buy_id)
        await self.worker.run(group_buy_id, owner)
        return await self.get(group_buy_id)

    async def get(self, group_buy_id: str) -> GroupBuy:
        group_buy = await self.store.load(group_buy_id)
        if group_buy is None:
            raise NotFoundError(f"no group buy {group_buy_id}")
        return group_buy

    async def get_many(self, group_buy_ids: Sequence[str]) -> list[GroupBuy]:
        """The group buys that exist among ``group_buy_ids``, in that order (for loaders)."""
        return await self.store.load_many(group_buy_ids)

    async def watch(self, group_buy_id: str, poll: float = 1.0) -> AsyncIterator[GroupBuy]:
        """The group buy now, then again every time it changes, until it ends.

        An in-process notice wakes it at once; a poll every ``poll`` seconds covers
        changes made by another replica.
        """
        group_buy = await self.get(group_buy_id)
        yield group_buy
        while not group_buy.status.final:
            await self.bus.wait(group_buy_id, poll)
            if await self.store.version(group_buy_id) == group_buy.version:
                continue
            group_buy = await self.get(group_buy_id)
            yield group_buy

    async def list(
        self,
        where: GroupBuyFilter | None = None,
        first: int = 20,
        after: tuple[float, str] | None = None,
    ) -> Sequence[GroupBuy]:
        """Newest first, ``first`` at most; ``after`` is the (created_at, id) of the last
        group buy seen, for paging."""
        return await self.store.page(where or GroupBuyFilter(), first, after)


def _check_open(group_buy: GroupBuy, now: float) -> None:
    """A quick refusal before asking any network; the store checks again when writing."""
    if group_buy.status is not GroupBuyState.OPEN:
        raise ConflictError(
            f"this group buy is {group_buy.status.value}: quantities can only change while "
            "it is OPEN"
        )
    if now >= group_buy.closes_at:
        raise ConflictError("this group buy reached its closing time: it takes no more changes")


def _label(cooperative: Key) -> str:
    return f"cooperative {cooperative[1]} of {cooperative[0]}"
