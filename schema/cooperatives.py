"""Cooperatives (koperasi) as the graph shows them."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from connectors.records import CooperativeRecord, PartnershipRecord
from resolvers import access
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema.common import Region
from schema.networks import Network
from schema.node import Node

if TYPE_CHECKING:  # each module imports the other's type lazily
    from schema.catalog import Category
    from schema.suppliers import Supplier


@strawberry.enum(description="The kind of cooperative (jenis koperasi).")
class CooperativeType(Enum):
    KONSUMEN = "konsumen"
    PRODUSEN = "produsen"
    SERBA_USAHA = "serba_usaha"
    SIMPAN_PINJAM = "simpan_pinjam"
    PESANTREN = "pesantren"


@strawberry.type(
    description="A JUK partnership (Jaringan Usaha Koperasi): a cooperative's MoU with a "
    "large supplier of its network, for buying together at wholesale terms."
)
class JukPartnership:
    mou_number: str = strawberry.field(description="The MoU's number.")
    valid_from: date = strawberry.field(description="The first day it holds.")
    valid_until: date = strawberry.field(description="The last day it holds.")
    record: strawberry.Private[PartnershipRecord]

    @classmethod
    def of(cls, record: PartnershipRecord) -> JukPartnership:
        return cls(
            mou_number=record.mou_number,
            valid_from=date.fromisoformat(record.valid_from),
            valid_until=date.fromisoformat(record.valid_until),
            record=record,
        )

    @strawberry.field(description="The product categories it covers.")
    def categories(self) -> list[Annotated[Category, strawberry.lazy("schema.catalog")]]:
        from schema.catalog import Category

        return [Category.of(slug) for slug in self.record.categories]

    @strawberry.field(description="The partner supplier, as its network lists it now.")
    async def supplier(
        self, info: Info[Context, None]
    ) -> Annotated[Supplier, strawberry.lazy("schema.suppliers")] | None:
        from schema.suppliers import Supplier

        key = (self.record.network, self.record.supplier_id)
        directory = await info.context.loaders.directory()
        found = await directory.suppliers.load(key)
        return Supplier.of(found) if found is not None else None


@access.node_rule(access.CATALOG_READ, access.Tenancy.PUBLIC)
@strawberry.type(description="A cooperative registered in one network.")
class Cooperative(Node):
    native_id: str = strawberry.field(description="The cooperative's id in its own network.")
    network: Network = strawberry.field(description="The network it belongs to.")
    name: str = strawberry.field(description="The cooperative's registered name.")
    type: CooperativeType | None = strawberry.field(description="Jenis koperasi, when known.")
    region: Region = strawberry.field(description="Where it is registered.")
    member_count: int | None = strawberry.field(description="Members, when the network says.")
    address: str = strawberry.field(description="Street address; empty when unknown.")

    @classmethod
    def of(cls, record: CooperativeRecord) -> Cooperative:
        known = {t.value: t for t in CooperativeType}
        return cls(
            id=strawberry.ID(to_global_id("Cooperative", record.network, record.id)),
            native_id=record.id,
            network=Network.of(record.network),
            name=record.name,
            type=known.get(record.type),
            region=Region.of(record.region_code),
            member_count=record.member_count,
            address=record.address,
        )

    @strawberry.field(
        description="Its JUK partnerships with large suppliers (SEJUK's programme; empty "
        "elsewhere). A partners-only group buy on a supplier's product takes only that "
        "supplier's partners."
    )
    async def partners(self, info: Info[Context, None]) -> list[JukPartnership]:
        key = (self.network.code, self.native_id)
        found = await info.context.loaders.partnerships.load(key)
        return [JukPartnership.of(p) for p in found or ()]


@strawberry.type(description="A cooperative in a page, with its cursor.")
class CooperativeEdge:
    node: Cooperative = strawberry.field(description="The cooperative.")
    cursor: str = strawberry.field(description="Pass as `after` to continue right after it.")


@strawberry.input(description="Narrow a cooperative search.")
class CooperativeFilter:
    text: str | None = strawberry.field(default=None, description="Words in the name.")
    type: CooperativeType | None = strawberry.field(default=None, description="Only this kind.")
    region_code: str | None = strawberry.field(
        default=None, description="A region or province code: `32` is all of Jawa Barat."
    )
    networks: list[str] | None = strawberry.field(
        default=None, description="Only these networks (codes)."
    )
