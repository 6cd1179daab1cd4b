"""Turning a placeOrder request into a priced, validated draft: nothing is written here.

Every refusal happens before the hub writes a row or calls a network to place anything:
unknown buyer or product, a bad quantity, a repeated line, too little stock, an empty
order. Prices come from the networks' current data, at the wholesale tier the quantity
reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.records import ProductRecord
from federation import idempotency
from federation.errors import InputError, NotFoundError, PriceChangedError
from federation.loaders import Loaders
from federation.orders.model import OrderDraft, OrderLine

MAX_LINES = 50


@dataclass(frozen=True)
class LineRequest:
    product: tuple[str, str]  # (network, the network's product id)
    product_label: str  # as the caller wrote it, for messages
    quantity: int
    # The unit price the buyer was shown: a higher live price refuses the order.
    expected_unit_price: int | None = None


@dataclass(frozen=True)
class PlaceOrderRequest:
    buyer: tuple[str, str]  # (network, the network's cooperative id)
    buyer_label: str
    lines: tuple[LineRequest, ...]
    delivery_region_code: str
    idempotency_key: str


def unit_price(product: ProductRecord, quantity: int) -> int:
    """The price per unit for ``quantity``: the highest wholesale tier it reaches."""
    price = product.price
    for tier in sorted(product.tiers, key=lambda t: t.min_quantity):
        if quantity >= tier.min_quantity:
            price = tier.unit_price
    return price


def rupiah(amount: int) -> str:
    """``Rp10.500``: rupiah as Indonesians write them."""
    return f"Rp{amount:,}".replace(",", ".")


def check_shape(request: PlaceOrderRequest) -> None:
    """What can be refused without asking anyone: raises InputError."""
    idempotency.check_key(request.idempotency_key, "order")
    if not request.lines:
        raise InputError("an order needs at least one line")
    if len(request.lines) > MAX_LINES:
        raise InputError(f"an order takes at most {MAX_LINES} lines")
    seen: set[tuple[str, str]] = set()
    for line in request.lines:
        if line.quantity <= 0:
            raise InputError(f"quantity for {line.product_label} must be above zero")
        if line.product in seen:
            raise InputError(f"{line.product_label} appears twice: put it on one line")
        seen.add(line.product)


async def draft_order(loaders: Loaders, request: PlaceOrderRequest) -> OrderDraft:
    """Check and price ``request`` against the networks' current data.

    Raises InputError or NotFoundError on anything wrong, PriceChangedError when a line
    costs more than the price its buyer was shown; call ``check_shape`` first.
    """
    buyer = await loaders.cooperatives.load(request.buyer)
    if buyer is None:
        raise NotFoundError(f"buyer {request.buyer_label} is not a cooperative the hub knows")
    products = await loaders.products.load_many([line.product for line in request.lines])
    lines: list[OrderLine] = []
    for position, (line, product) in enumerate(zip(request.lines, products, strict=True)):
        if product is None:
            raise NotFoundError(f"product {line.product_label} does not exist (any more)")
        if line.quantity < product.min_order:
            raise InputError(
                f"{product.name}: the minimum order is {product.min_order} {product.unit}"
            )
        if product.stock is not None and line.quantity > product.stock:
            raise InputError(
                f"{product.name}: only {product.stock} {product.unit} in stock, "
                f"{line.quantity} asked"
            )
        price = unit_price(product, line.quantity)
        if line.expected_unit_price is not None and price > line.expected_unit_price:
            raise PriceChangedError(
                f"{product.name} now costs {rupiah(price)} per {product.unit} for "
                f"{line.quantity}, not the {rupiah(line.expected_unit_price)} shown: order "
                "again to accept the new price",
                product=line.product,
                unit_price=price,
            )
        lines.append(
            OrderLine(
                position=position,
                network=product.network,
                product_id=product.id,
                name=product.name,
                unit=product.unit,
                quantity=line.quantity,
                unit_price=price,
                amount=price * line.quantity,
            )
        )
    return OrderDraft(
        idempotency_key=request.idempotency_key,
        request_hash=fingerprint(request),
        buyer_id=request.buyer_label,
        buyer_name=buyer.name,
        buyer_network=buyer.network,
        delivery_region_code=request.delivery_region_code,
        lines=tuple(lines),
    )


def fingerprint(request: PlaceOrderRequest) -> str:
    """What makes two requests the same order, for the idempotency check."""
    body = {
        "buyer": list(request.buyer),
        "region": request.delivery_region_code,
        "lines": sorted([*line.product, line.quantity] for line in request.lines),
    }
    return idempotency.fingerprint(body)
