"""Procurement: global IDs decoded, scopes checked, the caller's organisation, the service.

Who acts (``federation.procurement`` decides what each organisation may see and do): the
token's organisation, ``BUMN:<id>`` as that BUMN, ``Supplier:<nib>`` as that supplier.

* Every procurement field is an organisation's own (``resolvers.access``): without a token
  it is UNAUTHENTICATED, and any other token (a cooperative's, or none bound) is FORBIDDEN;
  ``node``/``nodes`` read its RFQs as null.
* An input or filter that names another organisation (``buyerId``, ``supplierId``,
  ``buyer``) is FORBIDDEN, before anything is read or written, as ``placeOrder`` is.
* Scopes: ``procurement:read`` to read RFQs and quotes, ``procurement:write`` to publish,
  quote and award, ``analytics:read`` for ``spend``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from typing import Any

from federation.errors import ForbiddenError, InputError, NotFoundError
from federation.orders.model import Order
from federation.procurement import ocds, publication
from federation.procurement.model import (
    Award,
    Organisation,
    OrgKind,
    Quote,
    QuoteDraft,
    QuoteLineDraft,
    Rfq,
    RfqDraft,
    RfqItemDraft,
    RfqStatus,
    SpendFilter,
    SpendGroup,
    SpendReport,
)
from federation.procurement.service import MAX_PAGE
from resolvers import access
from resolvers.context import Context
from resolvers.ids import decode_node, to_global_id
from resolvers.paging import decode_newest_first, newest_first_cursor


@dataclass(frozen=True)
class SeenRfq:
    """An RFQ as ``viewer`` sees it: nested fields (quotes, award) ask as the same one."""

    rfq: Rfq
    viewer: Organisation


@dataclass(frozen=True)
class SeenQuote:
    quote: Quote
    viewer: Organisation


@dataclass(frozen=True)
class ItemInput:
    description: str
    kbli: str
    quantity: int
    unit: str


@dataclass(frozen=True)
class QuoteLineInput:
    position: int
    unit_price: int | None
    product_id: str | None


def rfq_id(rfq: Rfq) -> str:
    return to_global_id("Rfq", rfq.id)


def quote_id(quote: Quote) -> str:
    """A Quote's global ID carries its RFQ, so it can be found as its RFQ's viewer sees it."""
    return to_global_id("Quote", quote.rfq_id, quote.id)


def organisation_id(org: Organisation) -> str:
    """The organisation's global ID, as tokens carry it."""
    kind = "BUMN" if org.kind is OrgKind.BUMN else "Supplier"
    return to_global_id(kind, org.id)


def _decode_organisation(global_id: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InputError(f"{global_id!r} is not an ID this API issued") from None
    kind, _, rest = raw.partition(":")
    return kind, rest


def named(global_id: str, kind: OrgKind, argument: str) -> Organisation:
    """The organisation an argument names: a BUMN (``BUMN:<id>``) or a supplier
    (``Supplier:<nib>``); InputError for anything else."""
    type_name, rest = _decode_organisation(global_id)
    wanted = "BUMN" if kind is OrgKind.BUMN else "Supplier"
    if type_name != wanted or not rest or ":" in rest:
        raise InputError(f"`{argument}` must be the ID of a {wanted}")
    return Organisation(kind, rest)


def token_organisation(context: Context) -> Organisation:
    """The principal's organisation as procurement knows it. UnauthenticatedError without
    a principal, ForbiddenError for a token bound to no BUMN or supplier."""
    access.authenticated(context, "procurement")
    principal = context.principal
    assert principal is not None
    if principal.organization is not None:
        type_name, rest = _decode_organisation(principal.organization)
        if type_name == "BUMN" and rest:
            return Organisation.bumn(rest)
        if type_name == "Supplier" and rest:
            return Organisation.supplier(rest)
    raise ForbiddenError("procurement is for BUMN and UMKM suppliers: this token is neither's")


def _acting(context: Context, given: Organisation | None) -> Organisation:
    """Who acts: the token's organisation, which ``given`` must be, when given."""
    own = token_organisation(context)
    if given is not None and given != own:
        raise ForbiddenError("a token acts only for its own organisation")
    return own


# ---- reads ---------------------------------------------------------------------------


async def rfq(context: Context, global_id: str) -> SeenRfq | None:
    """One RFQ: procurement:read; None when missing or not the caller's to see."""
    access.require(context, access.PROCUREMENT_READ)
    native_id = decode_node(global_id, "Rfq", "id")[0]
    return await load_rfq(context, native_id)


async def load_rfq(context: Context, native_id: str) -> SeenRfq | None:
    """The RFQ as the caller sees it; None when absent to the caller."""
    try:
        viewer = token_organisation(context)
        return SeenRfq(await context.procurement.get(viewer, native_id), viewer)
    except NotFoundError:
        return None


async def load_node(context: Context, type_name: str, parts: tuple[str, ...]) -> Any:
    """``node`` for an Rfq or Quote: what the caller may see, else None (a token of no
    BUMN or supplier included: another organisation's RFQ reads as absent)."""
    access.require(context, access.PROCUREMENT_READ)
    try:
        token_organisation(context)
    except ForbiddenError:
        return None
    if type_name == "Rfq" and len(parts) == 1:
        return await load_rfq(context, parts[0])
    if type_name == "Quote" and len(parts) == 2:
        seen = await load_rfq(context, parts[0])
        if seen is None:
            return None
        found = [q for q in await quotes(context, seen) if q.quote.id == parts[1]]
        return found[0] if found else None
    raise InputError(f"that is not the ID of a {type_name}")


@dataclass(frozen=True)
class RfqPage:
    rfqs: tuple[SeenRfq, ...]
    has_next: bool
    started_after: bool


def rfq_cursor(rfq: Rfq) -> str:
    return newest_first_cursor(rfq.created_at, rfq.id)


async def rfqs(
    context: Context,
    *,
    buyer_id: str | None,
    supplier_id: str | None,
    status: RfqStatus | None,
    first: int,
    after: str | None,
) -> RfqPage:
    """RFQs newest first: a BUMN's own, or those a supplier was invited to."""
    access.require(context, access.PROCUREMENT_READ)
    if buyer_id is not None and supplier_id is not None:
        raise InputError("filter by `buyerId` or by `supplierId`, not both")
    given = None
    if buyer_id is not None:
        given = named(buyer_id, OrgKind.BUMN, "buyerId")
    elif supplier_id is not None:
        given = named(supplier_id, OrgKind.SUPPLIER, "supplierId")
    viewer = _acting(context, given)
    if not 1 <= first <= MAX_PAGE:
        raise InputError(f"`first` must be 1-{MAX_PAGE}")
    position = decode_newest_first(after, "an RFQ") if after else None
    service = context.procurement
    found = await service.list_rfqs(
        viewer, status=status, first=min(first + 1, MAX_PAGE), after=position
    )
    page, more = found[:first], len(found) > first
    if first == MAX_PAGE and len(page) == first:
        last = (page[-1].created_at, page[-1].id)
        more = bool(await service.list_rfqs(viewer, status=status, first=1, after=last))
    return RfqPage(tuple(SeenRfq(r, viewer) for r in page), more, after is not None)


async def quotes(context: Context, seen: SeenRfq) -> list[SeenQuote]:
    """The RFQ's quotes: all of them for its buyer, its own for a supplier."""
    found = await context.rfq_quotes.load((seen.rfq.id, seen.viewer))
    return [SeenQuote(q, seen.viewer) for q in found]


async def award(context: Context, seen: SeenRfq) -> Award | None:
    """The RFQ's award, for its buyer and its winner."""
    return await context.procurement.award_of(seen.viewer, seen.rfq.id)


async def award_order(context: Context, found: Award) -> Order | None:
    """The hub order an award placed through the saga (the award was already checked)."""
    if found.order_id is None:
        return None
    return await context.orders.store.load(found.order_id)


@dataclass(frozen=True)
class OcdsExport:
    """An RFQ's contracting process in OCDS: its releases, and its record."""

    ocid: str
    release_package: dict[str, Any]
    record_package: dict[str, Any]


def ocds_uri(rfq: Rfq) -> str:
    """The release package's name: the package is served through the graph (and the bulk
    endpoint), to its buyer only, so a name rather than an address."""
    return f"urn:koperasi-hub:ocds:{rfq_id(rfq)}"


async def ocds_package(context: Context, seen: SeenRfq) -> dict[str, Any]:
    """The RFQ as an OCDS release package: its buyer's only (FORBIDDEN for a supplier)."""
    return (await ocds_export(context, seen)).release_package


async def ocds_export(context: Context, seen: SeenRfq) -> OcdsExport:
    """Every release of the RFQ's contracting process and the record compiled from them:
    its buyer's only (FORBIDDEN for a supplier: the releases name every quote)."""
    service = context.procurement
    found = await publication.process(service.store, service.orders.store, seen.viewer, seen.rfq)
    published = ocds.releases(found)
    uri = ocds_uri(seen.rfq)
    return OcdsExport(
        ocid=ocds.ocid_of(seen.rfq),
        release_package=ocds.release_package(published, uri=uri),
        record_package=ocds.record_package(published, uri=f"{uri}:record", releases_uri=uri),
    )


async def spend(
    context: Context,
    *,
    buyer: str | None,
    first_month: str,
    last_month: str,
    group_by: SpendGroup,
) -> SpendReport:
    """A BUMN's spend: analytics:read, and only the token's own BUMN."""
    access.require(context, access.ANALYTICS_READ)
    given = named(buyer, OrgKind.BUMN, "buyer") if buyer is not None else None
    viewer = _acting(context, given)
    if viewer.kind is not OrgKind.BUMN:
        raise ForbiddenError("a BUMN sees only its own spend")
    flt = SpendFilter(viewer.id, first_month, last_month, group_by)
    return await context.procurement.spend(viewer, flt)


# ---- writes --------------------------------------------------------------------------


async def publish_rfq(
    context: Context,
    *,
    buyer_id: str | None,
    title: str,
    description: str,
    items: list[ItemInput],
    delivery_region_code: str,
    deadline: dt.datetime,
    prefer_small: bool,
    idempotency_key: str | None = None,
) -> SeenRfq:
    """Publish an RFQ: procurement:write, as the token's BUMN (which ``buyerId`` names)."""
    access.require(context, access.PROCUREMENT_WRITE)
    given = named(buyer_id, OrgKind.BUMN, "buyerId") if buyer_id is not None else None
    buyer = _acting(context, given)
    draft = RfqDraft(
        title=title,
        items=tuple(RfqItemDraft(i.description, i.kbli, i.quantity, i.unit) for i in items),
        delivery_region_code=delivery_region_code,
        deadline=deadline,
        prefer_small=prefer_small,
        description=description,
        idempotency_key=idempotency_key,
    )
    return SeenRfq(await context.procurement.publish(buyer, draft), buyer)


async def submit_quote(
    context: Context,
    *,
    supplier_id: str | None,
    rfq: str,
    network: str,
    lines: list[QuoteLineInput],
    delivery_days: int,
    note: str,
) -> SeenQuote:
    """Quote on an RFQ: procurement:write, as the token's supplier (which ``supplierId``
    names)."""
    access.require(context, access.PROCUREMENT_WRITE)
    native_rfq = decode_node(rfq, "Rfq", "rfqId")[0]
    given = named(supplier_id, OrgKind.SUPPLIER, "supplierId") if supplier_id else None
    supplier = _acting(context, given)
    drafts = []
    for line in lines:
        product = None
        if line.product_id is not None:
            parts = decode_node(line.product_id, "Product", "productId")
            if len(parts) != 2 or parts[0] != network:
                raise InputError(f"`productId` must be one of your products on {network}")
            product = parts[1]
        drafts.append(QuoteLineDraft(line.position, line.unit_price, product))
    draft = QuoteDraft(native_rfq, network, tuple(drafts), delivery_days, note)
    submitted = await context.procurement.submit_quote(supplier, draft)
    context.rfq_quotes.clear_all()  # a mutation before this one may have read them
    return SeenQuote(submitted, supplier)


async def award_rfq(context: Context, rfq: str, quote: str) -> tuple[SeenRfq, Award]:
    """Award an RFQ to one of its quotes: procurement:write, as the RFQ's buyer."""
    access.require(context, access.PROCUREMENT_WRITE)
    native_rfq = decode_node(rfq, "Rfq", "rfqId")[0]
    quote_parts = decode_node(quote, "Quote", "quoteId")
    if len(quote_parts) != 2 or quote_parts[0] != native_rfq:
        raise InputError("`quoteId` must be a quote on this RFQ")
    buyer = token_organisation(context)
    found = await context.procurement.award(buyer, native_rfq, quote_parts[1])
    context.rfq_quotes.clear_all()  # their statuses changed
    return SeenRfq(await context.procurement.get(buyer, native_rfq), buyer), found
