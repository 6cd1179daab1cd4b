"""PaDi's GraphQL schema: catalog and procurement queries, ordering mutations."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from pydantic import ValidationError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from networks.padi import catalog, ids, orders, procurement, spend
from networks.padi.errors import NOT_FOUND, PadiError, invalid_input
from networks.padi.gql_types import (
    RUPIAH_SCALAR,
    Bumn,
    Cooperative,
    CooperativeFilter,
    CreatePurchaseOrderInput,
    Info,
    Page,
    Product,
    ProductChange,
    ProductChangePage,
    ProductFilter,
    PublishRfqInput,
    PurchaseOrder,
    PurchaseOrderFilter,
    Quotation,
    Rfq,
    RfqFilter,
    Rupiah,
    Spend,
    SpendFilter,
    SpendGroupBy,
    SubmitQuotationInput,
    Umkm,
    UmkmFilter,
    described,
    described_mutation,
)
from networks.padi.paging import DEFAULT_SIZE, Paging, paging
from networks.padi.records import Page as RecordPage
from networks.padi.records import PurchaseOrderInput, QuotationInput, RfqInput

T = TypeVar("T")
log = logging.getLogger(__name__)


def _paging(info: Info, page: int, size: int) -> Paging:
    return paging(page, size, info.context.settings.max_page_size)


def _page(items: list[T], result: RecordPage[Any]) -> Page[T]:
    return Page(
        items=items,
        page=result.page,
        size=result.size,
        total=result.total,
        total_pages=result.total_pages,
    )


def _number(prefix: str, public_id: str) -> int:
    number = ids.parse_id(prefix, public_id)
    if number is None:
        raise PadiError(NOT_FOUND, f"{public_id} not found")
    return number


def _value(enum_value: Any) -> Any:
    return enum_value.value if enum_value is not None else None


@strawberry.type
class Query:
    @described(description="One UMKM by id; null when unknown.")
    async def umkm(self, info: Info, id: strawberry.ID) -> Umkm | None:
        found = await info.context.umkm_loader.load(str(id))
        return Umkm.of(found) if found else None

    @described(description="UMKM matching every given filter.")
    async def umkms(
        self, info: Info, filter: UmkmFilter | None = None, page: int = 1, size: int = DEFAULT_SIZE
    ) -> Page[Umkm]:
        flt = filter or UmkmFilter()
        criteria = catalog.UmkmFilter(
            text=flt.text,
            region_codes=flt.region_codes,
            kbli=flt.kbli,
            scale=_value(flt.scale),
            certifications=[c.value for c in flt.certifications or ()],
            verified_only=flt.verified_only,
        )
        async with info.context.db.read() as session:
            result = await catalog.search_umkms(session, criteria, _paging(info, page, size))
        return _page([Umkm.of(r) for r in result.items], result)

    @described(description="UMKM by ids, in the order asked; null for unknown ids.")
    async def umkms_by_ids(self, info: Info, ids: list[strawberry.ID]) -> list[Umkm | None]:
        catalog.check_batch(ids)
        async with info.context.db.read() as session:
            found = await catalog.umkms_by_ids(session, [str(i) for i in ids])
        return [Umkm.of(found[i]) if i in found else None for i in ids]

    @described(
        description="UMKM by NIBs (OSS business ids), in the order asked; null for unknown NIBs."
    )
    async def umkms_by_nibs(self, info: Info, nibs: list[str]) -> list[Umkm | None]:
        catalog.check_batch(nibs)
        async with info.context.db.read() as session:
            found = await catalog.umkms_by_nibs(session, nibs)
        return [Umkm.of(found[n]) if n in found else None for n in nibs]

    @described(description="One live product by id; null when unknown or deleted.")
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:
        found = await info.context.product_loader.load(str(id))
        return Product.of(found) if found else None

    @described(description="Products by ids, in the order asked; null where unknown.")
    async def products(self, info: Info, ids: list[strawberry.ID]) -> list[Product | None]:
        catalog.check_batch(ids)
        async with info.context.db.read() as session:
            found = await catalog.products_by_ids(session, [str(i) for i in ids])
        return [Product.of(found[i]) if i in found else None for i in ids]

    @described(description="Live products matching every given filter.")
    async def search_products(
        self,
        info: Info,
        filter: ProductFilter | None = None,
        page: int = 1,
        size: int = DEFAULT_SIZE,
    ) -> Page[Product]:
        flt = filter or ProductFilter()
        criteria = catalog.ProductFilter(
            text=flt.text,
            category=flt.category,
            umkm_id=str(flt.umkm_id) if flt.umkm_id else None,
            region_code=flt.region_code,
            min_price=flt.min_price,
            max_price=flt.max_price,
            in_stock=flt.in_stock,
        )
        async with info.context.db.read() as session:
            result = await catalog.search_products(session, criteria, _paging(info, page, size))
        return _page([Product.of(r) for r in result.items], result)

    @described(description="Koperasi registered on PaDi.")
    async def cooperatives(
        self,
        info: Info,
        filter: CooperativeFilter | None = None,
        page: int = 1,
        size: int = DEFAULT_SIZE,
    ) -> Page[Cooperative]:
        flt = filter or CooperativeFilter()
        criteria = catalog.CooperativeFilter(
            text=flt.text, type=_value(flt.type), region_code=flt.region_code, role=_value(flt.role)
        )
        async with info.context.db.read() as session:
            result = await catalog.search_cooperatives(session, criteria, _paging(info, page, size))
        return _page([Cooperative.of(r) for r in result.items], result)

    @strawberry.field
    async def cooperative(self, info: Info, id: strawberry.ID) -> Cooperative | None:
        async with info.context.db.read() as session:
            found = await catalog.cooperatives_by_ids(session, [str(id)])
        return Cooperative.of(found[id]) if id in found else None

    @strawberry.field
    async def cooperatives_by_ids(
        self, info: Info, ids: list[strawberry.ID]
    ) -> list[Cooperative | None]:
        catalog.check_batch(ids)
        async with info.context.db.read() as session:
            found = await catalog.cooperatives_by_ids(session, [str(i) for i in ids])
        return [Cooperative.of(found[i]) if i in found else None for i in ids]

    @described(description="BUMN buying on PaDi.")
    async def bumns(self, info: Info) -> list[Bumn]:
        async with info.context.db.read() as session:
            return [Bumn.of(r) for r in await catalog.all_bumns(session)]

    @described(
        description="The product change log after version `since`. The first page returns "
        "`upTo`; pass it on later pages so paging stays stable while changes arrive."
    )
    async def product_changes(
        self,
        info: Info,
        since: int,
        up_to: int | None = None,
        page: int = 1,
        size: int = DEFAULT_SIZE,
    ) -> ProductChangePage:
        async with info.context.db.read() as session:
            result = await catalog.product_changes(session, since, up_to, _paging(info, page, size))
        return ProductChangePage(
            items=[ProductChange.of(r) for r in result.items],
            page=result.page,
            size=result.size,
            total=result.total,
            total_pages=result.total_pages,
            up_to=result.up_to,
        )

    @strawberry.field
    async def rfq(self, info: Info, id: strawberry.ID) -> Rfq | None:
        number = ids.parse_id(ids.RFQ, str(id))
        if number is None:
            return None
        async with info.context.db.read() as session:
            found = await procurement.rfqs_by_ids(session, [number])
        return Rfq.of(found[number]) if number in found else None

    @described(description="RFQs, newest first.")
    async def rfqs(
        self, info: Info, filter: RfqFilter | None = None, page: int = 1, size: int = DEFAULT_SIZE
    ) -> Page[Rfq]:
        flt = filter or RfqFilter()
        criteria = procurement.RfqFilter(
            status=_value(flt.status),
            bumn_id=str(flt.bumn_id) if flt.bumn_id else None,
            kbli=flt.kbli,
            region_code=flt.region_code,
        )
        async with info.context.db.read() as session:
            result = await procurement.search_rfqs(session, criteria, _paging(info, page, size))
        return _page([Rfq.of(r) for r in result.items], result)

    @described(description="Quotations on an RFQ, oldest first.")
    async def quotations(self, info: Info, rfq_id: strawberry.ID) -> list[Quotation]:
        number = _number(ids.RFQ, str(rfq_id))
        async with info.context.db.read() as session:
            if not await procurement.rfqs_by_ids(session, [number]):
                raise PadiError(NOT_FOUND, f"{rfq_id} not found")
            return [Quotation.of(q) for q in await procurement.quotations_for(session, number)]

    @described(description="One of the caller's purchase orders; null otherwise.")
    async def purchase_order(self, info: Info, id: strawberry.ID) -> PurchaseOrder | None:
        number = ids.parse_id(ids.ORDER, str(id))
        if number is None:
            return None
        async with info.context.db.read() as session:
            found = await orders.order_for(session, info.context.caller.client_id, number)
        return PurchaseOrder.of(found) if found else None

    @described(description="The caller's purchase orders, oldest first.")
    async def purchase_orders(
        self,
        info: Info,
        filter: PurchaseOrderFilter | None = None,
        page: int = 1,
        size: int = DEFAULT_SIZE,
    ) -> Page[PurchaseOrder]:
        flt = filter or PurchaseOrderFilter()
        async with info.context.db.read() as session:
            result = await orders.list_orders(
                session,
                info.context.caller.client_id,
                _paging(info, page, size),
                status=_value(flt.status),
                client_reference=flt.client_reference,
            )
        return _page([PurchaseOrder.of(r) for r in result.items], result)

    @described(description="BUMN spend with UMKM (rupiah), summed per group.")
    async def spend(
        self, info: Info, group_by: SpendGroupBy, filter: SpendFilter | None = None
    ) -> Spend:
        flt = filter or SpendFilter()
        criteria = spend.SpendFilter(
            bumn_id=str(flt.bumn_id) if flt.bumn_id else None,
            region_code=flt.region_code,
            scale=_value(flt.scale),
            month_from=flt.month_from,
            month_to=flt.month_to,
        )
        async with info.context.db.read() as session:
            return Spend.of(await spend.spend(session, criteria, group_by.value))


def _validated(model: Any, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_input(error) from None


@strawberry.type
class Mutation:
    @described_mutation(
        description="Open an RFQ for a BUMN. Idempotent per client on clientReference when "
        "given: the same input returns the existing RFQ, a different one is DUPLICATE_REFERENCE."
    )
    async def publish_rfq(self, info: Info, input: PublishRfqInput) -> Rfq:
        data: RfqInput = _validated(RfqInput, dataclasses.asdict(input))
        async with info.context.db.write() as session:
            return Rfq.of(
                await procurement.publish_rfq(session, info.context.caller.client_id, data)
            )

    @described_mutation(description="An UMKM's quotation on an open RFQ.")
    async def submit_quotation(self, info: Info, input: SubmitQuotationInput) -> Quotation:
        raw = dataclasses.asdict(input)
        raw["rfq_id"] = _number(ids.RFQ, str(input.rfq_id))
        data: QuotationInput = _validated(QuotationInput, raw)
        async with info.context.db.write() as session:
            return Quotation.of(await procurement.submit_quotation(session, data))

    @described_mutation(
        description="Award an RFQ to one quotation: the RFQ becomes AWARDED, the other "
        "quotations REJECTED, and a purchase order is created."
    )
    async def award_rfq(
        self, info: Info, rfq_id: strawberry.ID, quotation_id: strawberry.ID
    ) -> PurchaseOrder:
        rfq_number = _number(ids.RFQ, str(rfq_id))
        quotation_number = _number(ids.QUOTATION, str(quotation_id))
        async with info.context.db.write() as session:
            order = await procurement.award_rfq(
                session, info.context.caller.client_id, rfq_number, quotation_number
            )
        return PurchaseOrder.of(order)

    @described_mutation(
        description="Place a purchase order. Idempotent per client on clientReference: the "
        "same input returns the existing order, a different one is DUPLICATE_REFERENCE."
    )
    async def create_purchase_order(
        self, info: Info, input: CreatePurchaseOrderInput
    ) -> PurchaseOrder:
        data: PurchaseOrderInput = _validated(PurchaseOrderInput, dataclasses.asdict(input))
        async with info.context.db.write() as session:
            order = await orders.create_purchase_order(session, info.context.caller.client_id, data)
        return PurchaseOrder.of(order)

    @described_mutation(description="Cancel one of the caller's orders before it ships.")
    async def cancel_purchase_order(self, info: Info, id: strawberry.ID) -> PurchaseOrder:
        number = _number(ids.ORDER, str(id))
        async with info.context.db.write() as session:
            order = await orders.cancel_purchase_order(
                session, info.context.caller.client_id, number
            )
        return PurchaseOrder.of(order)


class PadiSchema(strawberry.Schema):
    """The schema, logging only errors that are PaDi's fault (clients get the rest)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, (PadiError, GraphQLError)):
                log.error("resolver failed", exc_info=original)


# Distinct documents whose parse and validation stay cached (strawberry's LRU caches).
DOCUMENT_CACHE_SIZE = 256
# The limits' rule classes, made once. QueryDepthLimiter and MaxAliasesLimiter make a new
# rule class every time they are constructed, i.e. on every request when passed as
# factories; ValidationCache keys on the rule classes, so it would then never hit.
LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=10).validation_rules,
    *MaxAliasesLimiter(max_alias_count=50).validation_rules,
)


def build_schema() -> strawberry.Schema:
    """PaDi's GraphQL schema, with limits against abusive queries.

    Parsing and validating a document cost PaDi 35-40 % of each call; a client (the hub)
    sends the same few documents again and again, so both are cached, keyed by the text
    (parse) and by the document and rules (validation). Errors are not cached by the
    parser (a syntax error raises each time); validation errors are, as validation
    depends on nothing but the document, the schema and the rules.
    """
    return PadiSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map={Rupiah: RUPIAH_SCALAR}),
        extensions=[
            lambda: AddValidationRules(list(LIMIT_RULES)),
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        ],
    )
