"""The catalog index's tables: canonical products, suppliers and cooperatives per network.

Rows are keyed by ``(network, id)``. Products also carry ``key``, a unique integer that
sorts by price (``price << 22 | seq``, see ``keys.py``): SQLite's FTS5 returns matches in
rowid order, so with ``key`` as the rowid the cheapest match comes first and a page is
read without ranking every match. ``loaded_in`` is the full load (generation) that last
wrote a row; a finished full load sweeps rows older than itself.

Dialect-specific search structures live outside this metadata, in migrations 0006 and
0007: SQLite's ``catalog_products_fts`` (FTS5, external content, kept in step by
triggers); PostgreSQL's generated ``name_vector`` / ``text_vector`` tsvector columns with
GIN indexes, and ``catalog_terms``, the postings its triggers keep (see ``postings.py``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# A 64-bit integer everywhere, and SQLite's rowid alias (it must be spelt INTEGER there).
RowKey = BigInteger().with_variant(Integer(), "sqlite")

catalog_products = Table(
    "catalog_products",
    metadata,
    Column("key", RowKey, primary_key=True, autoincrement=False),
    Column("network", String(50), nullable=False),
    Column("id", String(100), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(100), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("stock", BigInteger, nullable=True),
    Column("min_order", Integer, nullable=False),
    Column("supplier_id", String(100), nullable=False),
    Column("region_code", String(20), nullable=False),
    Column("tiers", JSON, nullable=False),  # [[min_quantity, unit_price], ...]
    Column("search_name", Text, nullable=False),  # text.normalise(name)
    Column("search_body", Text, nullable=False),  # description and category, normalised
    Column("tags", Text, nullable=False),  # text.tags(): exact filter tokens
    Column("loaded_in", Integer, nullable=False),
    UniqueConstraint("network", "id", name="uq_catalog_products_network_id"),
    Index("ix_catalog_products_supplier", "network", "supplier_id"),
)

catalog_suppliers = Table(
    "catalog_suppliers",
    metadata,
    Column("network", String(50), primary_key=True),
    Column("id", String(100), primary_key=True),
    Column("nib", String(20), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("region_code", String(20), nullable=False),
    Column("kbli", JSON, nullable=False),  # ["10613", ...]
    Column("scale", String(20), nullable=False),
    Column("certifications", JSON, nullable=False),  # [[kind, number or null], ...]
    Column("verified", Boolean, nullable=True),
    Column("partner_cooperative_ids", JSON, nullable=False),
    Column("search_name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # casefolded name: the listing order
    Column("kbli_text", Text, nullable=False),  # " 10613 10432 ": prefix match by LIKE
    Column("certification_text", Text, nullable=False),  # " halal sni "
    Column("loaded_in", Integer, nullable=False),
    Index("ix_catalog_suppliers_order", "name_key", "nib"),
)

catalog_cooperatives = Table(
    "catalog_cooperatives",
    metadata,
    Column("network", String(50), primary_key=True),
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(30), nullable=False),
    Column("region_code", String(20), nullable=False),
    Column("member_count", Integer, nullable=True),
    Column("address", Text, nullable=False),
    Column("search_name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # casefolded name: the listing order (0011)
    Column("loaded_in", Integer, nullable=False),
    Index("ix_catalog_cooperatives_order", "name_key", "network", "id"),
)

catalog_sync = Table(
    "catalog_sync",
    metadata,
    Column("network", String(50), primary_key=True),
    Column("marker", Text, nullable=True),  # the change feed's, after what is indexed
    Column("generation", Integer, nullable=False),  # the current full load
    Column("full_loaded", Boolean, nullable=False),  # that full load has finished
    Column("synced_at", Float, nullable=True),  # epoch seconds of the last success
    Column("attempted_at", Float, nullable=True),
    Column("error", Text, nullable=True),  # why the last attempt failed; None if it did not
)
