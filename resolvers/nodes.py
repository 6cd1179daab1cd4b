"""``node`` / ``nodes``: fetch anything by its global ID, batched per network."""

from __future__ import annotations

import asyncio

from connectors.records import CooperativeRecord, ProductRecord, SupplierRecord
from federation.errors import InputError
from federation.groupbuy.model import GroupBuy
from federation.orders.model import Order
from resolvers import access, organizations, procurement
from resolvers.context import Context

Found = (
    ProductRecord
    | SupplierRecord
    | CooperativeRecord
    | Order
    | GroupBuy
    | procurement.SeenRfq
    | procurement.SeenQuote
    | organizations.BumnBuyer
    | str
    | None
)


async def load_many(context: Context, decoded: list[tuple[str, tuple[str, ...]]]) -> list[Found]:
    """Each ID's record, in order; every type's rule is checked before anything is loaded."""
    for type_name, _ in decoded:
        access.check_node(context, type_name)
    # Gathered, so the loaders see every id in one tick and batch them per network.
    return list(await asyncio.gather(*(load(context, *d) for d in decoded)))


async def load(context: Context, type_name: str, parts: tuple[str, ...]) -> Found:
    """The record an ID names (a network code for ``Network``), or None when it is gone
    or is another organisation's. The type's rule (declared on it, ``access.node_rule``)
    is checked first: FORBIDDEN without its scope, UNAUTHENTICATED anonymously for an
    organisation's own type."""
    access.check_node(context, type_name)
    loaders = context.loaders
    federation = context.federation
    if type_name == "Supplier" and len(parts) == 1:
        # Suppliers and cooperatives from the index once it is loaded; products live (price).
        listings = await (await loaders.directory()).listings.load(parts[0])
        return listings[0] if listings else None
    if type_name == "Network" and len(parts) == 1:
        return parts[0] if parts[0] in federation.by_code else None
    if type_name == "GroupBuy" and len(parts) == 1:
        return next(iter(await context.group_buys.get_many(parts)), None)
    if type_name == "Order" and len(parts) == 1:
        order = await context.orders.store.load(parts[0])
        if order is None or not access.may_act_for(context, order.buyer_id):
            return None
        return order
    if type_name == "Bumn" and len(parts) == 1:
        return await organizations.bumn(context, parts[0])
    if type_name in ("Rfq", "Quote"):
        found: Found = await procurement.load_node(context, type_name, parts)
        return found
    if len(parts) != 2:
        raise InputError(f"a {type_name} ID holds a network and an id")
    network, native_id = parts
    if network not in federation.by_code:
        return None
    if type_name == "Product":
        return await loaders.products.load((network, native_id))
    if type_name == "Cooperative":
        return await (await loaders.directory()).cooperatives.load((network, native_id))
    raise InputError(f"{type_name} is not fetched by ID")
