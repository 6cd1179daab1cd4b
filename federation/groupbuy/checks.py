"""What opening and joining a group buy must satisfy: checked before anything is written.

Shape first (what can be refused without asking anyone), then the networks' live facts:
the coordinator and the joining cooperative exist, the product is still listed, and for a
partners-only group buy, the cooperative holds a JUK MoU with the supplier.
"""

from __future__ import annotations

from connectors.records import CooperativeRecord, ProductRecord, SupplierRecord
from federation.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from federation.groupbuy.model import GroupBuy, GroupBuyDraft, Key
from federation.groupbuy.pricing import ladder
from federation.groupbuy.requests import OpenGroupBuyRequest
from federation.loaders import Loaders

MAX_OPEN_SECONDS = 90 * 24 * 3600  # a buying window longer than a season is a mistake
MAX_QUANTITY = 1_000_000


def check_open_shape(request: OpenGroupBuyRequest, now: float) -> None:
    """Raises InputError for what is wrong with the request itself."""
    if request.closes_at <= now:
        raise InputError("`closesAt` must be in the future")
    if request.closes_at - now > MAX_OPEN_SECONDS:
        raise InputError("`closesAt` must be within 90 days: group buys are buying windows")
    if not 1 <= request.min_quantity <= MAX_QUANTITY:
        raise InputError(f"`minQuantity` must be between 1 and {MAX_QUANTITY}")
    if request.target_quantity is not None and not (
        request.min_quantity <= request.target_quantity <= MAX_QUANTITY
    ):
        raise InputError(
            f"`targetQuantity` must be between `minQuantity` ({request.min_quantity}) "
            f"and {MAX_QUANTITY}, or left out"
        )


def check_quantity(group_buy: GroupBuy, quantity: int) -> None:
    """A participant's quantity: at least the group buy's minimum; InputError otherwise."""
    if quantity < group_buy.min_quantity:
        raise InputError(
            f"each participant takes at least {group_buy.min_quantity} {group_buy.unit}: "
            f"{quantity} is too few (withdraw to leave the group buy)"
        )
    if quantity > MAX_QUANTITY:
        raise InputError(f"a quantity above {MAX_QUANTITY} {group_buy.unit} is not accepted")


def is_partner(supplier: SupplierRecord | None, cooperative: Key) -> bool:
    """Whether ``cooperative`` holds a JUK MoU with ``supplier`` (recorded on its network)."""
    return (
        supplier is not None
        and cooperative[0] == supplier.network
        and cooperative[1] in supplier.partner_cooperative_ids
    )


async def draft_group_buy(
    loaders: Loaders, request: OpenGroupBuyRequest, now: float
) -> GroupBuyDraft:
    """Check ``request`` against the networks' current data and take the product's facts.

    Raises InputError, NotFoundError or ForbiddenError; nothing is written here.
    """
    check_open_shape(request, now)
    coordinator, product = await _coordinator_and_product(loaders, request)
    if request.partners_only:
        supplier = await loaders.suppliers.load((product.network, product.supplier_id))
        if not is_partner(supplier, request.coordinator):
            raise ForbiddenError(
                f"{coordinator.name} has no JUK partnership with the supplier of "
                f"{product.name}: only its partner cooperatives may open a partners-only "
                "group buy (open it for everyone instead)"
            )
    if product.stock is not None and product.stock < product.min_order:
        raise InputError(f"{product.name} is out of stock: there is nothing to buy together")
    return GroupBuyDraft(
        coordinator=request.coordinator,
        coordinator_label=request.coordinator_label,
        coordinator_name=coordinator.name,
        delivery_region_code=coordinator.region_code,
        product=request.product,
        product_label=request.product_label,
        product_name=product.name,
        unit=product.unit,
        supplier_id=product.supplier_id,
        min_order=product.min_order,
        tiers=ladder(product.price, product.tiers),
        target_quantity=request.target_quantity,
        min_quantity=request.min_quantity,
        partners_only=request.partners_only,
        closes_at=request.closes_at,
        request_key=request.request_key(),
    )


async def check_member(
    loaders: Loaders, group_buy: GroupBuy, cooperative: Key, label: str
) -> CooperativeRecord:
    """The joining cooperative, when it may join: NotFoundError or ForbiddenError otherwise."""
    record = await loaders.cooperatives.load(cooperative)
    if record is None:
        raise NotFoundError(f"{label} is not a cooperative the hub knows")
    if group_buy.partners_only:
        supplier = await loaders.suppliers.load(group_buy.supplier)
        if not is_partner(supplier, cooperative):
            raise ForbiddenError(
                f"this group buy is for JUK partners of the supplier of {group_buy.product_name} "
                f"only, and {record.name} has no partnership with it"
            )
    return record


async def live_product(loaders: Loaders, group_buy: GroupBuy) -> ProductRecord:
    """The product as its network has it now; ConflictError when it is no longer listed."""
    product = await loaders.products.load(group_buy.product)
    if product is None:
        raise ConflictError(
            f"{group_buy.product_name} is no longer listed by its network: "
            "the group buy cannot take orders for it"
        )
    return product


async def _coordinator_and_product(
    loaders: Loaders, request: OpenGroupBuyRequest
) -> tuple[CooperativeRecord, ProductRecord]:
    coordinator = await loaders.cooperatives.load(request.coordinator)
    if coordinator is None:
        raise NotFoundError(f"{request.coordinator_label} is not a cooperative the hub knows")
    product = await loaders.products.load(request.product)
    if product is None:
        raise NotFoundError(f"product {request.product_label} does not exist (any more)")
    return coordinator, product
