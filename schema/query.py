"""The root Query: search, suppliers, cooperatives, bumns, orders, networks, viewer, node and
nodes."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from connectors.records import CertificationKind as Kind
from connectors.records import CooperativeRecord, ProductRecord
from federation.errors import InputError
from federation.groupbuy.model import GroupBuy as GroupBuyRecord
from federation.orders.model import Order as OrderRecord
from federation.orders.model import OrderState
from federation.ranking import ProductSort as Sort
from resolvers import (
    access,
    catalog,
    cooperatives,
    nodes,
    orders,
    organizations,
    procurement,
    suppliers,
)
from resolvers.context import Context
from resolvers.ids import from_global_id
from schema.catalog import (
    Product,
    ProductConnection,
    ProductEdge,
    ProductFacets,
    ProductFilter,
    ProductSort,
)
from schema.common import PageInfo
from schema.connections import (
    AFTER,
    FIRST,
    CooperativeConnection,
    SupplierConnection,
    network_results,
    page_info,
)
from schema.cooperatives import Cooperative, CooperativeEdge, CooperativeFilter
from schema.groupbuy import GroupBuy, GroupBuyQueries
from schema.networks import Network
from schema.node import Node
from schema.orders import Order, OrderConnection, OrderEdge, OrderFilter
from schema.organizations import Bumn, OrganizationQueries
from schema.procurement import ProcurementQueries, Quote, Rfq
from schema.suppliers import Supplier, SupplierEdge, SupplierFilter, to_kinds, to_scale

LIVE = strawberry.argument(
    description="Ask the networks themselves instead of the hub's catalog index: as fresh "
    "as can be, as slow as the slowest network. The index also falls back to this until "
    "every network has been loaded into it."
)


@strawberry.type(description="Read the federated graph.")
class Query(GroupBuyQueries, ProcurementQueries, OrganizationQueries):
    @strawberry.field(
        description="Every network the hub federates, in its fixed order.",
        extensions=[access.catalogue()],
    )
    def networks(self, info: Info[Context, None]) -> list[Network]:
        return [Network.of(code) for code in catalog.networks(info.context)]

    @strawberry.field(
        description="Search products in every network at once: merged, ranked by text "
        "relevance then price, and paged so each product appears exactly once.",
        extensions=[access.catalogue()],
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
        live: Annotated[bool, LIVE] = False,
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
            live=live,
        )
        page = result.page
        return ProductConnection(
            edges=[ProductEdge(node=Product.of(r), cursor=c) for r, c in page.items],
            page_info=page_info(page),
            networks=network_results(page, result.freshness),
            facets=ProductFacets(source=result.facets),
        )

    @strawberry.field(
        description="Suppliers across networks: one per NIB, with each listing.",
        extensions=[access.catalogue()],
    )
    async def suppliers(
        self,
        info: Info[Context, None],
        filter: Annotated[
            SupplierFilter | None, strawberry.argument(description="Conditions that must all hold.")
        ] = None,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        live: Annotated[bool, LIVE] = False,
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
            live=live,
        )
        page = result.page
        edges = [SupplierEdge(node=Supplier.of(r), cursor=c) for r, c in page.items]
        return SupplierConnection(
            edges=edges,
            page_info=page_info(page),
            networks=network_results(page, result.freshness),
        )

    @strawberry.field(
        description="Cooperatives across networks, by name.", extensions=[access.catalogue()]
    )
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
        page = result.page
        return CooperativeConnection(
            edges=[CooperativeEdge(node=Cooperative.of(r), cursor=c) for r, c in page.items],
            page_info=page_info(page),
            networks=network_results(page, result.freshness),
        )

    @strawberry.field(
        description="One order by its global ID; null when there is none.",
        extensions=[access.owned(access.ORDERS_READ)],
    )
    async def order(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="An Order's global ID.")],
    ) -> Order | None:
        found = await orders.order(info.context, id)
        return Order.of(found) if found is not None else None

    @strawberry.field(
        description="Orders, newest first.",
        extensions=[access.owned(access.ORDERS_READ, own=("filter.buyerId",))],
    )
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
            page_info=PageInfo.of(
                [e.cursor for e in edges], has_next=page.has_next, started_after=page.started_after
            ),
        )

    @strawberry.field(
        description="Anything by its global ID; null when it no longer exists.",
        extensions=[access.per_node()],
    )
    async def node(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        return _wrap(await nodes.load(info.context, *from_global_id(id)))

    @strawberry.field(
        description="Several things by global ID, in order; null for any gone.",
        extensions=[access.per_node()],
    )
    async def nodes(
        self,
        info: Info[Context, None],
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Up to 100 IDs.")],
    ) -> list[Node | None]:
        if len(ids) > 100:
            raise InputError("`nodes` takes at most 100 ids at once")
        decoded = [from_global_id(i) for i in ids]
        return [_wrap(f) for f in await nodes.load_many(info.context, decoded)]


def _wrap(found: nodes.Found) -> Node | None:
    if found is None:
        return None
    if isinstance(found, str):
        return Network.of(found)
    if isinstance(found, OrderRecord):
        return Order.of(found)
    if isinstance(found, procurement.SeenRfq):
        return Rfq.of(found)
    if isinstance(found, procurement.SeenQuote):
        return Quote.of(found)
    if isinstance(found, GroupBuyRecord):
        return GroupBuy.of(found)
    if isinstance(found, ProductRecord):
        return Product.of(found)
    if isinstance(found, CooperativeRecord):
        return Cooperative.of(found)
    if isinstance(found, organizations.BumnBuyer):
        return Bumn.of(found)
    return Supplier.of(found)
