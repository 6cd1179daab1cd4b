"""Suppliers: one per NIB across networks, with each network's listing."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from connectors.records import CertificationKind as Kind
from connectors.records import Scale as ScaleValue
from connectors.records import SupplierRecord
from resolvers import access
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema.common import Region
from schema.cooperatives import Cooperative
from schema.networks import Network
from schema.node import Node


@strawberry.enum(description="UMKM scale under PP 7/2021, plus large enterprises.")
class Scale(Enum):
    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"
    BESAR = "besar"


@strawberry.enum(description="A product or business certification recognised in Indonesia.")
class CertificationKind(Enum):
    HALAL = "halal"
    SNI = "sni"
    PIRT = "pirt"
    BPOM = "bpom"


@strawberry.type(description="A certification a supplier holds.")
class Certification:
    kind: CertificationKind = strawberry.field(description="Which certification.")
    number: str | None = strawberry.field(description="The certificate number, when listed.")


@strawberry.type(description="How one network lists a supplier.")
class SupplierListing:
    network: Network = strawberry.field(description="The network of this listing.")
    native_id: str = strawberry.field(description="The supplier's id in that network.")
    name: str = strawberry.field(description="The name as that network writes it.")
    region: Region = strawberry.field(description="Where that network says it is.")
    scale: Scale = strawberry.field(description="Its scale as that network records it.")
    kbli: list[str] = strawberry.field(description="KBLI 2020 codes that network records.")
    certifications: list[Certification] = strawberry.field(
        description="Certifications that network records."
    )
    verified: bool | None = strawberry.field(description="NIB verified with OSS, if it says.")

    @classmethod
    def of(cls, record: SupplierRecord) -> SupplierListing:
        return cls(
            network=Network.of(record.network),
            native_id=record.id,
            name=record.name,
            region=Region.of(record.region_code),
            scale=Scale(record.scale.value),
            kbli=list(record.kbli),
            certifications=certifications(record),
            verified=record.verified,
        )


def certifications(record: SupplierRecord) -> list[Certification]:
    return [
        Certification(kind=CertificationKind(c.kind.value), number=c.number)
        for c in record.certifications
    ]


@access.node_rule(access.CATALOG_READ, access.Tenancy.PUBLIC)
@strawberry.type(
    description="A business (UMKM or large supplier), one per NIB across all networks."
)
class Supplier(Node):
    nib: str = strawberry.field(description="Nomor Induk Berusaha: 13 digits.")
    name: str = strawberry.field(description="The name as its first listing writes it.")
    region: Region = strawberry.field(description="Where it is registered.")
    scale: Scale = strawberry.field(description="UMKM scale (PP 7/2021) or BESAR.")
    kbli: list[str] = strawberry.field(description="KBLI 2020 business codes (5 digits).")
    certifications: list[Certification] = strawberry.field(
        description="Halal, SNI, PIRT and BPOM certificates it holds."
    )
    verified: bool | None = strawberry.field(description="NIB verified with OSS, if known.")
    primary: strawberry.Private[SupplierRecord]

    @classmethod
    def of(cls, record: SupplierRecord) -> Supplier:
        return cls(
            id=strawberry.ID(to_global_id("Supplier", record.nib)),
            nib=record.nib,
            name=record.name,
            region=Region.of(record.region_code),
            scale=Scale(record.scale.value),
            kbli=list(record.kbli),
            certifications=certifications(record),
            verified=record.verified,
            primary=record,
        )

    async def _listings(self, info: Info[Context, None]) -> tuple[SupplierRecord, ...]:
        # From the index when the request reads it (``Loaders.directory``): no network asked.
        directory = await info.context.loaders.directory()
        return await directory.listings.load(self.nib) or (self.primary,)

    @strawberry.field(description="Its listing in every network that has it.")
    async def listings(self, info: Info[Context, None]) -> list[SupplierListing]:
        return [SupplierListing.of(r) for r in await self._listings(info)]

    @strawberry.field(description="How many networks list it.")
    async def network_count(self, info: Info[Context, None]) -> int:
        return len(await self._listings(info))

    @strawberry.field(
        description="How many products it lists across every network, counted in the hub's "
        "catalog index; null in a hub without one."
    )
    async def product_count(self, info: Info[Context, None]) -> int | None:
        listings = await self._listings(info)
        counts = await info.context.loaders.product_counts.load_many(
            [(r.network, r.id) for r in listings]
        )
        known = [n for n in counts if n is not None]
        return sum(known) if known else None

    @strawberry.field(description="Cooperatives in partnership with it (JUK MoUs).")
    async def partner_cooperatives(self, info: Info[Context, None]) -> list[Cooperative]:
        keys = [
            (r.network, cid)
            for r in await self._listings(info)
            for cid in r.partner_cooperative_ids
        ]
        directory = await info.context.loaders.directory()
        found = await directory.cooperatives.load_many(keys)
        return [Cooperative.of(c) for c in found if c is not None]


@strawberry.type(description="A supplier in a page, with its cursor.")
class SupplierEdge:
    node: Supplier = strawberry.field(description="The supplier.")
    cursor: str = strawberry.field(description="Pass as `after` to continue right after it.")


@strawberry.input(description="Narrow a supplier search; all conditions must hold.")
class SupplierFilter:
    text: str | None = strawberry.field(default=None, description="Words in the name.")
    region_codes: list[str] | None = strawberry.field(
        default=None, description="Any of these regions or provinces (`32`, `36.71`)."
    )
    kbli: str | None = strawberry.field(
        default=None, description="A KBLI code or prefix: `10` is food manufacturing."
    )
    scale: Scale | None = strawberry.field(default=None, description="Only this scale.")
    certifications: list[CertificationKind] | None = strawberry.field(
        default=None, description="Holds every one of these."
    )
    verified_only: bool = strawberry.field(default=False, description="Only OSS-verified NIBs.")
    networks: list[str] | None = strawberry.field(default=None, description="Only these networks.")


def to_kinds(values: list[CertificationKind] | None) -> tuple[Kind, ...]:
    return tuple(Kind(v.value) for v in values or ())


def to_scale(value: Scale | None) -> ScaleValue | None:
    return ScaleValue(value.value) if value is not None else None
