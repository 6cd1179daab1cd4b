"""Types every business area shares: money, regions, paging and per-network results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import Enum

import strawberry

from federation.fanout import NetworkOutcome
from federation.index import Freshness

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

    @classmethod
    def of(cls, cursors: Sequence[str], *, has_next: bool, started_after: bool) -> PageInfo:
        """A page of the hub's own records, from its edges' cursors, first to last."""
        return cls(
            has_next_page=has_next,
            has_previous_page=started_after,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )


@strawberry.enum(description="How a network answered one query.")
class NetworkStatus(Enum):
    OK = "OK"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"
    SKIPPED = "SKIPPED"
    INDEXED = strawberry.enum_value(
        "INDEXED", description="Answered from the hub's catalog index (see `syncedAt`)."
    )
    STALE = strawberry.enum_value(
        "STALE",
        description="Answered from the index, whose copy of this network is stale: its last "
        "sync failed or is too long ago.",
    )


@strawberry.type(description="How one network answered this query.")
class NetworkResult:
    code: str = strawberry.field(description="The network's code.")
    status: NetworkStatus = strawberry.field(
        description="Live: OK, TIMEOUT, ERROR or SKIPPED. From the index: INDEXED or STALE."
    )
    latency_ms: float = strawberry.field(
        description="Milliseconds until it answered or gave up; 0 when the index answered."
    )
    message: str | None = strawberry.field(description="Why it did not answer OK.")
    synced_at: datetime | None = strawberry.field(
        default=None, description="From the index: when this network last synced (UTC)."
    )

    @classmethod
    def of(cls, outcome: NetworkOutcome[object]) -> NetworkResult:
        return cls(
            code=outcome.code,
            status=NetworkStatus[outcome.status.name],
            latency_ms=round(outcome.latency_ms, 1),
            message=outcome.message,
        )

    @classmethod
    def indexed(cls, fresh: Freshness) -> NetworkResult:
        """This network's part of an answer the index gave."""
        message = None
        if fresh.stale:
            age = (
                "never synced"
                if fresh.age_seconds is None
                else f"synced {fresh.age_seconds:.0f} s ago"
            )
            message = f"stale copy ({age})" + (f": {fresh.error}" if fresh.error else "")
        return cls(
            code=fresh.network,
            status=NetworkStatus.STALE if fresh.stale else NetworkStatus.INDEXED,
            latency_ms=0.0,
            message=message,
            synced_at=epoch(fresh.synced_at),
        )


def epoch(seconds: float | None) -> datetime | None:
    """An epoch time as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


@strawberry.type(description="One value of a facet and how many results carry it.")
class FacetValue:
    value: str = strawberry.field(description="The value to filter on.")
    label: str | None = strawberry.field(description="A readable name for it, when known.")
    count: int = strawberry.field(description="How many results carry it.")
