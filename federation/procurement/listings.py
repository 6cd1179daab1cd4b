"""Quotes on the hub's board: each line is one of the supplier's products, at its price.

SEJUK and Tangerang take orders for products at their listed price (wholesale tiers
included) and nothing else, so a quote there is priced from the listing, and the award
becomes an ordinary order through the saga. The price is checked again at the award:
a listing that changed since the quote is a CONFLICT, never a silently different bill.
"""

from __future__ import annotations

import hashlib
import json

from connectors.records import ProductRecord
from federation.errors import ConflictError, InputError
from federation.loaders import Loaders
from federation.orders.model import OrderDraft, OrderLine
from federation.orders.placing import unit_price
from federation.procurement.model import Invitation, Quote, QuoteDraft, QuoteLine, Rfq


async def price_lines(
    loaders: Loaders, rfq: Rfq, invitation: Invitation, draft: QuoteDraft
) -> tuple[QuoteLine, ...]:
    """The quote's lines priced from the supplier's listings; InputError on anything off."""
    keys = [(draft.network, (line.product_id or "").strip()) for line in draft.lines]
    products = await loaders.products.load_many(keys)
    items = {item.position: item for item in rfq.items}
    lines: list[QuoteLine] = []
    for line, product in zip(draft.lines, products, strict=True):
        item = items[line.position]
        number = line.position + 1
        if product is None or product.supplier_id != invitation.supplier_id:
            raise InputError(
                f"item {number}: {line.product_id} is not one of your products on {draft.network}"
            )
        _check_orderable(product, item.quantity, number, InputError)
        price = unit_price(product, item.quantity)
        if line.unit_price is not None and line.unit_price != price:
            raise InputError(
                f"item {number}: {product.name} is listed at {price} rupiah per {product.unit} "
                f"for {item.quantity}; quotes on {draft.network} are at the listed price "
                "(change the listing, or leave `unitPrice` out)"
            )
        lines.append(
            QuoteLine(
                position=line.position,
                product_id=product.id,
                native_quote_id=None,
                unit_price=price,
                quantity=item.quantity,
                amount=price * item.quantity,
            )
        )
    return tuple(sorted(lines, key=lambda x: x.position))


async def order_draft(
    loaders: Loaders,
    rfq: Rfq,
    quote: Quote,
    *,
    buyer_id: str,
    buyer_network: str,
    check: bool = True,
) -> OrderDraft:
    """The purchase order an award of ``quote`` places, at the quoted prices.

    With ``check``, ConflictError when a listing's price or stock no longer allows it
    (before the award is written). Without, the draft of an award already written, to
    resume it: its order may exist and have taken the stock already.
    """
    keys = [(quote.network, line.product_id or "") for line in quote.lines]
    products = await loaders.products.load_many(keys)
    lines: list[OrderLine] = []
    for line, product in zip(quote.lines, products, strict=True):
        number = line.position + 1
        if check and product is None:
            raise ConflictError(
                f"item {number}: the quoted product {line.product_id} is no longer listed"
            )
        if check and product is not None:
            _check_orderable(product, line.quantity, number, ConflictError)
            price = unit_price(product, line.quantity)
            if price != line.unit_price:
                raise ConflictError(
                    f"item {number}: {product.name} now costs {price} rupiah, "
                    f"quoted {line.unit_price}: ask the supplier to quote again"
                )
        lines.append(
            OrderLine(
                position=line.position,
                network=quote.network,
                product_id=line.product_id or "",
                name=product.name if product else f"{rfq.items[line.position].description}",
                unit=product.unit if product else rfq.items[line.position].unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
            )
        )
    body = {"rfq": rfq.id, "quote": quote.id, "lines": [[x.product_id, x.quantity] for x in lines]}
    return OrderDraft(
        idempotency_key=f"rfq-award:{rfq.id}",
        request_hash=hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(),
        buyer_id=buyer_id,
        buyer_name=rfq.buyer_name,
        buyer_network=buyer_network,
        delivery_region_code=rfq.delivery_region_code,
        lines=tuple(lines),
    )


def _check_orderable(
    product: ProductRecord, quantity: int, number: int, error: type[Exception]
) -> None:
    if quantity < product.min_order:
        raise error(
            f"item {number}: {product.name} is sold from {product.min_order} {product.unit}, "
            f"the RFQ asks {quantity}"
        )
    if product.stock is not None and quantity > product.stock:
        raise error(
            f"item {number}: only {product.stock} {product.unit} of {product.name} in stock, "
            f"the RFQ asks {quantity}"
        )
