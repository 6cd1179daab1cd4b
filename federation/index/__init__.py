"""The catalog index: every network's products, suppliers and cooperatives in the hub's
database, synced from change feeds and searched with the database's full-text search."""

from __future__ import annotations

from federation.index.freshness import Freshness, freshness
from federation.index.paging import IndexPage
from federation.index.search import (
    FacetCount,
    IndexSearch,
    ProductFacets,
    product_facets,
    search_products,
)
from federation.index.sync import (
    CatalogSync,
    ProgressCallback,
    SyncProgress,
    SyncResult,
    SyncStage,
)
from federation.index.tables import metadata

__all__ = [
    "CatalogSync",
    "FacetCount",
    "Freshness",
    "IndexPage",
    "IndexSearch",
    "ProductFacets",
    "ProgressCallback",
    "SyncProgress",
    "SyncResult",
    "SyncStage",
    "freshness",
    "metadata",
    "product_facets",
    "search_products",
]
