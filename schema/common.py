"""Types every business area shares: money, regions, paging and per-network results."""

from __future__ import annotations

from enum import Enum

import strawberry

from federation.fanout import NetworkOutcome

# Kemendagri's region list is public reference data; the reference networks keep the copy.
from networks.common.catalog import REGION_BY_CODE
from schema.scalars import Long


@strawberry.type(description="An amount of money in integer units of its currency.")
class Money:
    amount: Long = strawberry.field(description="Whole units: rupiah have no minor unit here.")
    currency: str = strawberry.field(description="ISO 4217 code; always `IDR` today.")

    @classmethod
    def rupiah(cls, amount: int) -> Money:
        return cls(amount=Long(amount), currency="IDR")


@strawberry.type(description="A Kemendagri region: province (`32`) or regency/city (`32.73`).")
class Region:
    code: str = strawberry.field(description="Kemendagri code, dotted: `32.73` is Kota Bandung.")
    name: str | None = strawberry.field(description="The region's name, when the hub knows it.")

    @classmethod
    def of(cls, code: str) -> Region:
        known = REGION_BY_CODE.get(code)
        return cls(code=code, name=known.name if known else None)


@strawberry.type(description="Relay paging information.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow `endCursor`.")
    has_previous_page: bool = strawberry.field(description="This page started after a cursor.")
    start_cursor: str | None = strawberry.field(description="The first edge's cursor.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.enum(description="How a network answered one query.")
class NetworkStatus(Enum):
    OK = "OK"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"
    SKIPPED = "SKIPPED"


@strawberry.type(description="How one network answered this query.")
class NetworkResult:
    code: str = strawberry.field(description="The network's code.")
    status: NetworkStatus = strawberry.field(description="OK, TIMEOUT, ERROR or SKIPPED.")
    latency_ms: float = strawberry.field(description="Milliseconds until it answered or gave up.")
    message: str | None = strawberry.field(description="Why it did not answer OK.")

    @classmethod
    def of(cls, outcome: NetworkOutcome[object]) -> NetworkResult:
        return cls(
            code=outcome.code,
            status=NetworkStatus(outcome.status.value),
            latency_ms=round(outcome.latency_ms, 1),
            message=outcome.message,
        )


@strawberry.type(description="One value of a facet and how many results carry it.")
class FacetValue:
    value: str = strawberry.field(description="The value to filter on.")
    label: str | None = strawberry.field(description="A readable name for it, when known.")
    count: int = strawberry.field(description="How many results carry it.")
