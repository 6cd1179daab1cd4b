"""``node`` / ``nodes``: fetch anything by its global ID, batched per network."""

from __future__ import annotations

from connectors.records import CooperativeRecord, ProductRecord, SupplierRecord
from federation.errors import InputError
from federation.orders.model import Order
from resolvers.context import Context

Found = ProductRecord | SupplierRecord | CooperativeRecord | Order | str | None


async def load(context: Context, type_name: str, parts: tuple[str, ...]) -> Found:
    """The record an ID names (a network code for ``Network``), or None when it is gone."""
    loaders = context.loaders
    federation = context.federation
    if type_name == "Supplier" and len(parts) == 1:
        listings = await loaders.listings.load(parts[0])
        return listings[0] if listings else None
    if type_name == "Network" and len(parts) == 1:
        return parts[0] if parts[0] in federation.by_code else None
    if type_name == "Order" and len(parts) == 1:
        return await context.orders.store.load(parts[0])
    if len(parts) != 2:
        raise InputError(f"a {type_name} ID holds a network and an id")
    network, native_id = parts
    if network not in federation.by_code:
        return None
    if type_name == "Product":
        return await loaders.products.load((network, native_id))
    if type_name == "Cooperative":
        return await loaders.cooperatives.load((network, native_id))
    raise InputError(f"{type_name} is not fetched by ID")
