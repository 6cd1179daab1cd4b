"""Cooperatives (koperasi) as the graph shows them."""

from __future__ import annotations

from enum import Enum

import strawberry

from connectors.records import CooperativeRecord
from resolvers.ids import to_global_id
from schema.common import Region
from schema.networks import Network
from schema.node import Node


@strawberry.enum(description="The kind of cooperative (jenis koperasi).")
class CooperativeType(Enum):
    KONSUMEN = "konsumen"
    PRODUSEN = "produsen"
    SERBA_USAHA = "serba_usaha"
    SIMPAN_PINJAM = "simpan_pinjam"
    PESANTREN = "pesantren"


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
