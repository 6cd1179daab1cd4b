"""BUMN procurement: RFQs, quotes, awards and spend on UMKM."""

from __future__ import annotations

import strawberry


@strawberry.type
class ProcurementQueries:
    """The procurement root fields of Query."""


@strawberry.type
class ProcurementMutations:
    """The procurement root fields of Mutation."""
