"""Assemble the schema: the root Query and the extensions every request runs through."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from connectors.records import CertificationKind as Kind
from connectors.records import CooperativeRecord, ProductRecord
from federation.errors import InputError
from federation.orders.model import Order as OrderRecord
from federation.orders.model import OrderState
from federation.ranking import ProductSort as Sort
from resolvers import catalog, cooperatives, nodes, orders, suppliers
from resolvers.context import Context
from resolvers.ids import from_global_id
from resolvers.paging import PageResult
from schema.catalog import (
    Product,
    ProductConnection,
    ProductEdge,
    ProductFacets,
    ProductFilter,
    ProductSort,
)
from schema.common import NetworkResult, PageInfo
from schema.cooperatives import Cooperative, CooperativeEdge, CooperativeFilter
from schema.errors import ErrorCodes
from schema.networks import Network
from schema.node import Node
from schema.orders import (
    Order,
    OrderConnection,
    OrderEdge,
    OrderFilter,
    PlaceOrderInput,
    Transaction,
)
from schema.scalars import SCALARS
from schema.suppliers import Supplier, SupplierEdge, SupplierFilter, to_kinds, to_scale

T = TypeVar("T")
FIRST = "How many items, at most (0-100)."
AFTER = "A cursor from a previous page: `pageInfo.endCursor` or an edge's `cursor`."


@strawberry.type(description="A page of suppliers, one per NIB.")
class SupplierConnection:
    edges: list[SupplierEdge] = strawberry.field(description="The suppliers.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    networks: list[NetworkResult] = strawberry.field(description="How each network answered.")


@strawberry.type(description="A page of cooperatives.")
class CooperativeConnection:
    edges: list[CooperativeEdge] = strawberry.field(description="The cooperatives.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    networks: list[NetworkResult] = strawberry.field(description="How each network answered.")


def _page_info(result: PageResult[T]) -> PageInfo:
    return PageInfo(
        has_next_page=result.has_next,
        has_previous_page=result.started_after,
        start_cursor=result.items[0][1] if result.items else None,
        end_cursor=result.end_cursor,
    )


def _networks(result: PageResult[T]) -> list[NetworkResult]:
    return [NetworkResult.of(o) for o in result.outcomes]


@strawberry.type(description="Read the federated graph.")
class Query:
    @strawberry.field(description="Every network the hub federates, in its fixed order.")
    def networks(self, info: Info[Context, None]) -> list[Network]:
        return [Network.of(code) for code in info.context.federation.codes]

    @strawberry.field(
        description="Search products in every network at once: merged, ranked by text "
        "relevance then price, and paged so each product appears exactly once."
    )
    async def search(
        self,
        info: Info[Context, None],
        text: Annotated[
            str | None, strawberry.argument(description="Words to find in names and descriptions.")
        ] = None,
        filter: Annotated[
            ProductFilter | None, strawberry.argument(description="Conditions that must all hold.")
        ] = None,
        sort: Annotated[
            ProductSort, strawberry.argument(description="Order within the merged results.")
        ] = ProductSort.RELEVANCE,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> ProductConnection:
        f = filter or ProductFilter()
        result = await catalog.search(
            info.context,
            text=text,
            category=f.category,
            region_code=f.region_code,
            min_price=f.min_price,
            max_price=f.max_price,
            in_stock=f.in_stock,
            certifications=tuple(Kind(c.value) for c in f.certifications or ()),
            networks=f.networks,
            sort=Sort(sort.value),
            first=first,
            after=after,
        )
        return ProductConnection(
            edges=[ProductEdge(node=Product.of(r), cursor=c) for r, c in result.items],
            page_info=_page_info(result),
            networks=_networks(result),
            facets=ProductFacets(window=result.window),
        )

    @strawberry.field(description="Suppliers across networks: one per NIB, with each listing.")
    async def suppliers(
        self,
        info: Info[Context, None],
        filter: Annotated[
            SupplierFilter | None, strawberry.argument(description="Conditions that must all hold.")
        ] = None,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> SupplierConnection:
        f = filter or SupplierFilter()
        result = await suppliers.suppliers(
            info.context,
            text=f.text,
            region_codes=f.region_codes,
            kbli=f.kbli,
            scale=to_scale(f.scale),
            certifications=to_kinds(f.certifications),
            verified_only=f.verified_only,
            networks=f.networks,
            first=first,
            after=after,
        )
        loaders = info.context.loaders
        edges = []
        for record, cursor in result.items:
            listings = await loaders.listings.load(record.nib)
            primary = listings[0] if listings else record
            edges.append(SupplierEdge(node=Supplier.of(primary), cursor=cursor))
        return SupplierConnection(
            edges=edges, page_info=_page_info(result), networks=_networks(result)
        )

    @strawberry.field(description="Cooperatives across networks, by name.")
    async def cooperatives(
        self,
        info: Info[Context, None],
        filter: Annotated[
            CooperativeFilter | None,
            strawberry.argument(description="Conditions that must all hold."),
        ] = None,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> CooperativeConnection:
        f = filter or CooperativeFilter()
        result = await cooperatives.cooperatives(
            info.context,
            text=f.text,
            type=f.type.value if f.type else None,
            region_code=f.region_code,
            networks=f.networks,
            first=first,
            after=after,
        )
        return CooperativeConnection(
            edges=[CooperativeEdge(node=Cooperative.of(r), cursor=c) for r, c in result.items],
            page_info=_page_info(result),
            networks=_networks(result),
        )

    @strawberry.field(description="One order by its global ID; null when there is none.")
    async def order(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="An Order's global ID.")],
    ) -> Order | None:
        found = await orders.order(info.context, id)
        return Order.of(found) if found is not None else None

    @strawberry.field(description="Orders, newest first.")
    async def orders(
        self,
        info: Info[Context, None],
        filter: Annotated[
            OrderFilter | None, strawberry.argument(description="Conditions that must all hold.")
        ] = None,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> OrderConnection:
        f = filter or OrderFilter()
        page = await orders.orders(
            info.context,
            buyer_id=f.buyer_id,
            status=OrderState(f.status.value) if f.status else None,
            first=first,
            after=after,
        )
        edges = [OrderEdge(node=Order.of(o), cursor=orders.order_cursor(o)) for o in page.orders]
        return OrderConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.started_after,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field(description="Anything by its global ID; null when it no longer exists.")
    async def node(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        return _wrap(await nodes.load(info.context, *from_global_id(id)))

    @strawberry.field(description="Several things by global ID, in order; null for any gone.")
    async def nodes(
        self,
        info: Info[Context, None],
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Up to 100 IDs.")],
    ) -> list[Node | None]:
        if len(ids) > 100:
            raise InputError("`nodes` takes at most 100 ids at once")
        decoded = [from_global_id(i) for i in ids]
        # Gathered, so the loaders see every id in one tick and batch them per network.
        found = await asyncio.gather(*(nodes.load(info.context, *d) for d in decoded))
        return [_wrap(f) for f in found]


@strawberry.type(description="Change the federated graph.")
class Mutation:
    @strawberry.mutation(
        description="Order from suppliers in any networks at once. The hub places one "
        "sub-order per network and confirms them all, or cancels the ones placed and reports "
        "FAILED with the reason. The same idempotencyKey always returns the same order."
    )
    async def place_order(
        self,
        info: Info[Context, None],
        input: Annotated[PlaceOrderInput, strawberry.argument(description="The order.")],
    ) -> Order:
        placed = await orders.place_order(
            info.context,
            buyer_id=input.buyer_id,
            lines=[orders.LineInput(line.product_id, line.quantity) for line in input.lines],
            delivery_region_code=input.delivery_region_code,
            idempotency_key=input.idempotency_key,
        )
        return Order.of(placed)

    @strawberry.mutation(
        description="Cancel a confirmed order at every network; CONFLICT when a network "
        "has shipped it already."
    )
    async def cancel_order(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="An Order's global ID.")],
    ) -> Order:
        return Order.of(await orders.cancel_order(info.context, id))


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(description="The order now, then every time it changes.")
    async def order_updates(
        self,
        info: Info[Context, None],
        order_id: Annotated[strawberry.ID, strawberry.argument(description="An Order's ID.")],
    ) -> AsyncIterator[Order]:
        async for order in orders.order_updates(info.context, order_id):
            yield Order.of(order)

    @strawberry.subscription(
        description="A cooperative's transactions as they happen: its network's live stream "
        "(Tangerang) and the hub's own order events for it."
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


def _wrap(found: nodes.Found) -> Node | None:
    if found is None:
        return None
    if isinstance(found, str):
        return Network.of(found)
    if isinstance(found, OrderRecord):
        return Order.of(found)
    if isinstance(found, ProductRecord):
        return Product.of(found)
    if isinstance(found, CooperativeRecord):
        return Cooperative.of(found)
    return Supplier.of(found)


class HubSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Logging happens in ``ErrorCodes``, which knows user mistakes from hub faults."""


def build_schema() -> strawberry.Schema:
    """The hub's public GraphQL schema."""
    return HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Product, Supplier, Cooperative, Network, Order],
        extensions=[
            ErrorCodes,
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
        ],
        config=StrawberryConfig(scalar_map=SCALARS),
    )
