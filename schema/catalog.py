"""Products, their prices and the federated search's connection with facets."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import strawberry
from strawberry.types import Info

from connectors.records import ProductRecord
from networks.common.catalog import CATEGORY_BY_SLUG
from resolvers import access
from resolvers.catalog import Counts, IndexFacets, WindowFacets
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema.common import FacetValue, Money, NetworkResult, PageInfo, Region
from schema.networks import NAMES, Network
from schema.node import Node
from schema.suppliers import CertificationKind, Supplier


@strawberry.type(description="A product category, e.g. `beras` (rice) or `minyak-goreng`.")
class Category:
    slug: str = strawberry.field(description="Stable identifier, used in filters: `beras`.")
    name: str = strawberry.field(description="Name in Indonesian: `Beras`.")

    @classmethod
    def of(cls, slug: str) -> Category:
        known = CATEGORY_BY_SLUG.get(slug)
        return cls(slug=slug, name=known.name if known else slug)


@strawberry.type(description="A wholesale tier (harga grosir): the unit price from a quantity on.")
class PriceTier:
    min_quantity: int = strawberry.field(description="The tier starts at this many units.")
    unit_price: Money = strawberry.field(description="The price of each unit in this tier.")


@access.node_rule(access.CATALOG_READ, access.Tenancy.PUBLIC)
@strawberry.type(description="A product offered by a supplier in one network.")
class Product(Node):
    native_id: str = strawberry.field(description="The product's id in its own network.")
    network: Network = strawberry.field(description="The network that lists it.")
    name: str = strawberry.field(description="The product's name as its network lists it.")
    description: str = strawberry.field(description="Free text from the network.")
    category: Category = strawberry.field(description="What kind of product it is.")
    unit: str = strawberry.field(description="What one unit is: `karung`, `pouch`, `kg`...")
    price: Money = strawberry.field(description="Price per unit.")
    stock: int | None = strawberry.field(description="Units in stock; null when unknown.")
    min_order: int = strawberry.field(description="The smallest quantity one may order.")
    tiers: list[PriceTier] = strawberry.field(description="Wholesale tiers, lowest first.")
    region: Region = strawberry.field(description="Where it ships from.")
    record: strawberry.Private[ProductRecord]

    @classmethod
    def of(cls, record: ProductRecord) -> Product:
        return cls(
            id=strawberry.ID(to_global_id("Product", record.network, record.id)),
            native_id=record.id,
            network=Network.of(record.network),
            name=record.name,
            description=record.description,
            category=Category.of(record.category),
            unit=record.unit,
            price=Money.rupiah(record.price),
            stock=record.stock,
            min_order=record.min_order,
            tiers=[
                PriceTier(min_quantity=t.min_quantity, unit_price=Money.rupiah(t.unit_price))
                for t in record.tiers
            ],
            region=Region.of(record.region_code),
            record=record,
        )

    @strawberry.field(description="Who sells it.")
    async def supplier(self, info: Info[Context, None]) -> Supplier | None:
        directory = await info.context.loaders.directory()
        found = await directory.suppliers.load((self.record.network, self.record.supplier_id))
        return Supplier.of(found) if found is not None else None


@strawberry.enum(description="Order of search results.")
class ProductSort(Enum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"


@strawberry.input(description="Narrow a product search; all conditions must hold.")
class ProductFilter:
    category: str | None = strawberry.field(default=None, description="A category slug: `beras`.")
    region_code: str | None = strawberry.field(
        default=None, description="A region or province code: `32` is all of Jawa Barat."
    )
    min_price: int | None = strawberry.field(default=None, description="Rupiah per unit, at least.")
    max_price: int | None = strawberry.field(default=None, description="Rupiah per unit, at most.")
    in_stock: bool | None = strawberry.field(
        default=None, description="True: orderable (stock above zero or unknown)."
    )
    certifications: list[CertificationKind] | None = strawberry.field(
        default=None, description="The supplier holds every one of these."
    )
    networks: list[str] | None = strawberry.field(default=None, description="Only these networks.")


@strawberry.type(description="A product in a search page, with its cursor.")
class ProductEdge:
    node: Product = strawberry.field(description="The product.")
    cursor: str = strawberry.field(description="Pass as `after` to continue right after it.")


@strawberry.type(
    description="Counts by category, region, network and certification: over the whole "
    "result when the index answered, over the candidates the page was ranked from when live."
)
class ProductFacets:
    source: strawberry.Private[WindowFacets | IndexFacets]

    @strawberry.field(description="Product categories.")
    async def categories(self, info: Info[Context, None]) -> list[FacetValue]:
        counts = await self.source.counts(info.context)
        return _facet(counts.categories, lambda slug: Category.of(slug).name)

    @strawberry.field(description="Regions products ship from.")
    async def regions(self, info: Info[Context, None]) -> list[FacetValue]:
        counts = await self.source.counts(info.context)
        return _facet(counts.regions, lambda code: Region.of(code).name)

    @strawberry.field(description="Networks that list them.")
    async def networks(self, info: Info[Context, None]) -> list[FacetValue]:
        counts = await self.source.counts(info.context)
        return _facet(counts.networks, lambda code: NAMES.get(code))

    @strawberry.field(description="Counted by the products' suppliers' certifications.")
    async def certifications(self, info: Info[Context, None]) -> list[FacetValue]:
        counts = await self.source.counts(info.context)
        return _facet(counts.certifications, lambda kind: kind.upper())


def _facet(counts: Counts, label: Callable[[str], str | None]) -> list[FacetValue]:
    return [FacetValue(value=v, label=label(v), count=n) for v, n in counts if n]


@strawberry.type(description="A page of federated search results.")
class ProductConnection:
    edges: list[ProductEdge] = strawberry.field(description="The products, best first.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    networks: list[NetworkResult] = strawberry.field(description="How each network answered.")
    facets: ProductFacets = strawberry.field(
        description="Facets: over the whole result from the index; live, over the "
        "candidates this page was ranked from (every network's window)."
    )
