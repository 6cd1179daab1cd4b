"""The Tangerang network's SQLite tables (SQLAlchemy Core, in its own MetaData)."""

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

SCHEMA_VERSION = 1

metadata = MetaData()

cooperatives = Table(
    "cooperatives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("type", String, nullable=False, index=True),
    Column("registration_number", String, nullable=False),
    Column("region_code", String, nullable=False, index=True),
    Column("address", String, nullable=False),
    Column("chairperson", String, nullable=False),
    Column("phone", String, nullable=False),
    Column("founded_year", Integer, nullable=False),
    Column("member_count", Integer, nullable=False),
)

merchants = Table(
    "merchants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("nib", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("legal_form", String, nullable=False),
    Column("owner_name", String, nullable=False),
    Column("phone", String, nullable=False),
    Column("address", String, nullable=False),
    Column("region_code", String, nullable=False, index=True),
    Column("kbli", String, nullable=False),
    # Comma-wrapped lists (",10613,10721,") so one LIKE finds a member of the set.
    Column("kbli_set", String, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("scale", String, nullable=False, index=True),
    Column("certification_set", String, nullable=False),
    Column("certifications", JSON, nullable=False),
    Column("founded_year", Integer, nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String, nullable=False, unique=True),
    Column("merchant_id", ForeignKey("merchants.id"), nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("description", String, nullable=False),
    Column("category", String, nullable=False, index=True),
    Column("unit", String, nullable=False),
    Column("price", Integer, nullable=False),
    Column("stock", Integer, nullable=True),
    Column("min_order", Integer, nullable=False),
    Column("region_code", String, nullable=False, index=True),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("updated_at", String, nullable=False),
)

item_changes = Table(
    "item_changes",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, nullable=False, index=True),
    Column("type", String, nullable=False),  # upsert | delete
    Column("changed_at", String, nullable=False),
    sqlite_autoincrement=True,
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cooperative_id", ForeignKey("cooperatives.id"), nullable=False),
    Column("member_number", String, nullable=False),
    Column("name", String, nullable=False),
    Column("phone", String, nullable=False),
    Column("address", String, nullable=False),
    Column("joined_on", String, nullable=False),
    Index("ix_members_cooperative", "cooperative_id", "id"),
)

bills = Table(
    "bills",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("members.id"), nullable=False, index=True),
    Column("cooperative_id", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("description", String, nullable=False),
    Column("period", String, nullable=False),
    Column("amount", Integer, nullable=False),
    Column("due_date", String, nullable=False),
    Column("status", String, nullable=False),
    Column("paid_at", String, nullable=True),
    Column("transaction_id", Integer, nullable=True),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", String, nullable=False),
    Column("idempotency_key", String, nullable=False),
    Column("request_hash", String, nullable=False),
    Column("status", String, nullable=False, index=True),
    Column("buyer_name", String, nullable=False),
    Column("buyer_organization_id", String, nullable=False),
    Column("buyer_home_network", String, nullable=False),
    Column("delivery_region_code", String, nullable=False),
    Column("note", Text, nullable=True),
    Column("cooperative_id", Integer, nullable=True),
    Column("total", Integer, nullable=False),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    UniqueConstraint("client_id", "idempotency_key", name="uq_orders_idempotency"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", ForeignKey("orders.id"), primary_key=True),
    Column("line_number", Integer, primary_key=True),
    Column("item_id", Integer, nullable=False),
    Column("merchant_id", Integer, nullable=False),
    Column("name", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Integer, nullable=False),
    # Whether stock was taken (known stock) so a cancel gives back exactly that.
    Column("stock_reserved", Boolean, nullable=False),
)

transactions = Table(
    "transactions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("cooperative_id", Integer, nullable=True),
    Column("member_id", Integer, nullable=True),
    Column("order_id", Integer, nullable=True),
    Column("bill_id", Integer, nullable=True),
    Column("client_id", String, nullable=True),
    Column("type", String, nullable=False),
    Column("amount", Integer, nullable=False),
    Column("description", String, nullable=False),
    Column("occurred_at", String, nullable=False),
    Index("ix_transactions_cooperative", "cooperative_id", "seq"),
    sqlite_autoincrement=True,
)
