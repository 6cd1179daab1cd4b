"""Organisations: BUMN buyers, and ``viewer`` (who is asking) with its ``Organization``.

A BUMN's ID is the organisation ID its tokens carry (``BUMN:<PaDi id>``), so
``viewer.organization.id``, ``Rfq.buyerId`` and ``bumns`` agree. Its name, sector and
region are public, as PaDi lists them; its RFQs and spend are its own token's only, by
the same rules as ``rfqs`` and ``spend``.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from connectors.records import CooperativeRecord, SupplierRecord
from federation.procurement import model
from resolvers import access, organizations, procurement
from resolvers.context import Context
from schema.common import PageInfo, Region
from schema.connections import AFTER, FIRST
from schema.cooperatives import Cooperative
from schema.networks import Network
from schema.node import Node
from schema.procurement import MonthPeriod, RfqConnection, RfqStatus, SpendGroupBy, SpendReport
from schema.suppliers import Supplier


@access.node_rule(access.CATALOG_READ, access.Tenancy.PUBLIC)
@strawberry.type(description="A BUMN (state-owned enterprise) buying from UMKM on PaDi.")
class Bumn(Node):
    code: str = strawberry.field(description="Its PaDi id: `BUMN-PANGAN`.")
    name: str = strawberry.field(description="Its registered name.")
    sector: str = strawberry.field(description="Its sector as PaDi records it: `pangan`...")
    region: Region = strawberry.field(description="Where its head office is.")
    network: Network = strawberry.field(description="The network listing it as a buyer.")

    @classmethod
    def of(cls, found: organizations.BumnBuyer) -> Bumn:
        record = found.record
        return cls(
            id=strawberry.ID(found.global_id),
            code=record.id,
            name=record.name,
            sector=record.sector,
            region=Region.of(record.region_code),
            network=Network.of(found.network),
        )

    @strawberry.field(
        description="Its RFQs, newest first (OPEN ones unless `status` says otherwise; null "
        "for every status): its own token's only (`procurement:read`), FORBIDDEN for "
        "another organisation's, UNAUTHENTICATED without a token."
    )
    async def rfqs(
        self,
        info: Info[Context, None],
        status: Annotated[
            RfqStatus | None, strawberry.argument(description="In this status; null: any.")
        ] = RfqStatus.OPEN,
        first: Annotated[int, strawberry.argument(description="How many, at most (1-100).")] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> RfqConnection | None:
        page = await procurement.rfqs(
            info.context,
            buyer_id=self.id,
            supplier_id=None,
            status=model.RfqStatus(status.value) if status else None,
            first=first,
            after=after,
        )
        return RfqConnection.of(page)

    @strawberry.field(
        description="Its spend with UMKM over whole months, as `spend` reports it: its own "
        "token's only (`analytics:read`), FORBIDDEN for another organisation's."
    )
    async def spend(
        self,
        info: Info[Context, None],
        period: Annotated[MonthPeriod, strawberry.argument(description="The months to sum.")],
        group_by: Annotated[SpendGroupBy, strawberry.argument(description="What to sum by.")],
    ) -> SpendReport | None:
        report = await procurement.spend(
            info.context,
            buyer=self.id,
            first_month=period.from_,
            last_month=period.to,
            group_by=model.SpendGroup(group_by.value),
        )
        return SpendReport.of(report)


@strawberry.type(description="A BUMN in a page, with its cursor.")
class BumnEdge:
    node: Bumn = strawberry.field(description="The BUMN.")
    cursor: str = strawberry.field(description="Pass as `after` to continue right after it.")


@strawberry.type(description="A page of BUMN, by code.")
class BumnConnection:
    edges: list[BumnEdge] = strawberry.field(description="The BUMN.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")

    @classmethod
    def of(cls, page: organizations.BumnPage) -> BumnConnection:
        edges = [BumnEdge(node=Bumn.of(b), cursor=c) for b, c in page.items]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [e.cursor for e in edges], has_next=page.has_next, started_after=page.started_after
            ),
        )


@strawberry.input(description="Narrow the BUMN list; all conditions must hold.")
class BumnFilter:
    text: str | None = strawberry.field(default=None, description="Words in the name or code.")
    sector: str | None = strawberry.field(default=None, description="PaDi's sector: `pangan`.")
    region_code: str | None = strawberry.field(
        default=None, description="A region or province code: `31` is all of DKI Jakarta."
    )


Organization = Annotated[
    Cooperative | Bumn | Supplier,
    strawberry.union("Organization", description="Who a token acts for."),
]


def organization_of(
    found: organizations.Organisation | None,
) -> Cooperative | Bumn | Supplier | None:
    """The graph's type for an organisation record."""
    if found is None:
        return None
    if isinstance(found, organizations.BumnBuyer):
        return Bumn.of(found)
    if isinstance(found, CooperativeRecord):
        return Cooperative.of(found)
    assert isinstance(found, SupplierRecord)
    return Supplier.of(found)


@strawberry.type(description="Who is asking: the token's client, scopes and organisation.")
class Viewer:
    client_id: str = strawberry.field(description="The OAuth client the token was issued to.")
    scopes: list[str] = strawberry.field(description="The scopes the token grants.")
    organization_id: strawberry.ID | None = strawberry.field(
        description="The organisation's global ID, as the token carries it; null for none."
    )

    @strawberry.field(
        description="The organisation the token acts for, as its network lists it now; "
        "null when the token is bound to none, or it is no longer listed."
    )
    async def organization(self, info: Info[Context, None]) -> Organization | None:
        if self.organization_id is None:
            return None
        return organization_of(await organizations.organization(info.context, self.organization_id))


# Every token may ask who it is, whatever its scopes; without a token it is nobody.
ANY_TOKEN = access.Rule(None, access.Tenancy.OWNED)


@strawberry.type
class OrganizationQueries:
    """The organisation root fields of Query."""

    @strawberry.field(
        description="BUMN buying from UMKM on PaDi, by code.", extensions=[access.catalogue()]
    )
    async def bumns(
        self,
        info: Info[Context, None],
        filter: Annotated[
            BumnFilter | None, strawberry.argument(description="Conditions that must all hold.")
        ] = None,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> BumnConnection:
        f = filter or BumnFilter()
        page = await organizations.bumns(
            info.context,
            text=f.text,
            sector=f.sector,
            region_code=f.region_code,
            first=first,
            after=after,
        )
        return BumnConnection.of(page)

    @strawberry.field(
        description="Who is asking: the token's client id, scopes and organisation. Any "
        "token may ask; without one, UNAUTHENTICATED.",
        extensions=[access.Guard(ANY_TOKEN)],
    )
    def viewer(self, info: Info[Context, None]) -> Viewer:
        found = organizations.viewer(info.context)
        return Viewer(
            client_id=found.client_id,
            scopes=list(found.scopes),
            organization_id=strawberry.ID(found.organization_id)
            if found.organization_id is not None
            else None,
        )
