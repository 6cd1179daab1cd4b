"""The root Subscription: live order updates and cooperatives' transactions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import access, orders
from resolvers.context import Context
from schema.groupbuy import GroupBuySubscriptions
from schema.orders import Order, Transaction


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws).")
class Subscription(GroupBuySubscriptions):
    @strawberry.subscription(
        description="The order now, then every time it changes.",
        extensions=[access.owned(access.ORDERS_READ)],
    )
    async def order_updates(
        self,
        info: Info[Context, None],
        order_id: Annotated[strawberry.ID, strawberry.argument(description="An Order's ID.")],
    ) -> AsyncIterator[Order]:
        async for order in orders.order_updates(info.context, order_id):
            yield Order.of(order)

    @strawberry.subscription(
        description="A cooperative's transactions as they happen: its network's live stream "
        "(Tangerang) and the hub's own order events for it.",
        extensions=[access.owned(access.ORDERS_READ, own=("cooperativeId",))],
    )
    async def transactions(
        self,
        info: Info[Context, None],
        cooperative_id: Annotated[
            strawberry.ID, strawberry.argument(description="A Cooperative's global ID.")
        ],
    ) -> AsyncIterator[Transaction]:
        async for record in orders.transactions(info.context, cooperative_id):
            yield Transaction.of(record)
