"""The root Mutation: placing and cancelling orders."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import access, orders
from resolvers.context import Context
from schema.groupbuy import GroupBuyMutations
from schema.orders import Order, PlaceOrderInput
from schema.procurement import ProcurementMutations


@strawberry.type(description="Change the federated graph.")
class Mutation(GroupBuyMutations, ProcurementMutations):
    @strawberry.mutation(
        description="Order from suppliers in any networks at once. The hub places one "
        "sub-order per network and confirms them all, or cancels the ones placed and reports "
        "FAILED with the reason. The same idempotencyKey always returns the same order.",
        extensions=[access.owned(access.ORDERS_WRITE, own=("input.buyerId",))],
    )
    async def place_order(
        self,
        info: Info[Context, None],
        input: Annotated[PlaceOrderInput, strawberry.argument(description="The order.")],
    ) -> Order:
        placed = await orders.place_order(
            info.context,
            buyer_id=input.buyer_id,
            lines=[
                orders.LineInput(line.product_id, line.quantity, line.expected_unit_price)
                for line in input.lines
            ],
            delivery_region_code=input.delivery_region_code,
            idempotency_key=input.idempotency_key,
        )
        return Order.of(placed)

    @strawberry.mutation(
        description="Cancel a confirmed order at every network; CONFLICT when a network "
        "has shipped it already.",
        extensions=[access.owned(access.ORDERS_WRITE)],
    )
    async def cancel_order(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="An Order's global ID.")],
    ) -> Order:
        return Order.of(await orders.cancel_order(info.context, id))
