"""PaDi's database tables, in their own MetaData."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 2

metadata = MetaData()

cooperatives = Table(
    "cooperatives",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("type", String, nullable=False),
    Column("registration_number", String, nullable=False),
    Column("region_code", String, nullable=False),
    Column("member_count", Integer, nullable=False),
    Column("role", String, nullable=False),
    Column("joined_on", String, nullable=False),
)

umkms = Table(
    "umkms",
    metadata,
    Column("id", String, primary_key=True),
    Column("nib", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("owner_name", String, nullable=False),
    Column("kbli", String, nullable=False),
    Column("kbli_codes", JSON, nullable=False),
    Column("scale", String, nullable=False),
    Column("certifications", JSON, nullable=False),
    Column("region_code", String, nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("founded_year", Integer, nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("id", String, primary_key=True),
    Column("umkm_id", String, ForeignKey("umkms.id"), nullable=False),
    Column("name", String, nullable=False),
    Column("category", String, nullable=False),
    Column("kbli", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("price", Integer, nullable=False),
    Column("stock", Integer, nullable=False),
    Column("min_order", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("region_code", String, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Index("ix_products_umkm", "umkm_id"),
    Index("ix_products_category", "category"),
)

product_changes = Table(
    "product_changes",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("product_id", String, nullable=False),
    Column("kind", String, nullable=False),
    sqlite_autoincrement=True,
)

bumns = Table(
    "bumns",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("sector", String, nullable=False),
    Column("region_code", String, nullable=False),
)

rfqs = Table(
    "rfqs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bumn_id", String, ForeignKey("bumns.id"), nullable=False),
    Column("title", String, nullable=False),
    Column("description", Text, nullable=False),
    Column("kbli", String, nullable=False),
    Column("region_code", String, nullable=True),
    Column("quantity", Integer, nullable=False),
    Column("unit", String, nullable=False),
    Column("deadline", String, nullable=False),
    Column("status", String, nullable=False),
    Column("created_by", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("awarded_quotation_id", Integer, nullable=True),
    Column("client_reference", String, nullable=True),  # the creating client's, if given
    Column("request_hash", String, nullable=True),
    UniqueConstraint("created_by", "client_reference"),
)

quotations = Table(
    "quotations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rfq_id", Integer, ForeignKey("rfqs.id"), nullable=False),
    Column("umkm_id", String, ForeignKey("umkms.id"), nullable=False),
    Column("unit_price", Integer, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("delivery_days", Integer, nullable=False),
    Column("note", Text, nullable=False),
    Column("status", String, nullable=False),
    Column("created_at", String, nullable=False),
    UniqueConstraint("rfq_id", "umkm_id"),
)

purchase_orders = Table(
    "purchase_orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String, nullable=False),
    Column("client_reference", String, nullable=True),
    Column("request_hash", String, nullable=True),
    Column("rfq_id", Integer, ForeignKey("rfqs.id"), nullable=True),
    Column("bumn_id", String, nullable=True),
    Column("buyer_name", String, nullable=False),
    Column("buyer_organization_id", String, nullable=False),
    Column("buyer_home_network", String, nullable=False),
    Column("delivery_region_code", String, nullable=False),
    Column("status", String, nullable=False),
    Column("total", Integer, nullable=False),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    UniqueConstraint("client_id", "client_reference"),
)

purchase_order_lines = Table(
    "purchase_order_lines",
    metadata,
    Column("order_id", Integer, ForeignKey("purchase_orders.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("product_id", String, nullable=True),
    Column("umkm_id", String, nullable=False),
    Column("description", String, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Integer, nullable=False),
)

spend_records = Table(
    "spend_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bumn_id", String, nullable=False),
    Column("umkm_id", String, nullable=False),
    Column("region_code", String, nullable=False),
    Column("scale", String, nullable=False),
    Column("month", String, nullable=False),
    Column("amount", Integer, nullable=False),
    Column("order_count", Integer, nullable=False),
)
