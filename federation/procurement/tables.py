"""The hub's RFQ board (SQLAlchemy Core; Alembic migrates it in revision 0005).

Awards reference the hub's ``orders`` by id without a foreign key, so this metadata
stands alone; ``procurement_awards.rfq_id`` is unique: one award per RFQ, however many
replicas try at once.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

rfqs = Table(
    "procurement_rfqs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("buyer_id", String(100), nullable=False),
    Column("buyer_name", String(300), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("delivery_region_code", String(10), nullable=False),
    Column("deadline", Float, nullable=False),
    Column("prefer_small", Boolean, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("idempotency_key", String(200), nullable=True),  # the buyer's, when given
    Column("request_hash", String(64), nullable=True),  # RfqDraft.fingerprint()
    UniqueConstraint("buyer_id", "idempotency_key", name="uq_procurement_rfqs_buyer_key"),
    Index("ix_procurement_rfqs_buyer", "buyer_id", "created_at"),
)

rfq_items = Table(
    "procurement_rfq_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rfq_id", String(32), ForeignKey("procurement_rfqs.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("kbli", String(5), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit", String(30), nullable=False),
    Column("native_rfq_id", String(50), nullable=True),
    UniqueConstraint("rfq_id", "position"),
)

invitations = Table(
    "procurement_invitations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rfq_id", String(32), ForeignKey("procurement_rfqs.id"), nullable=False),
    Column("nib", String(13), nullable=False),
    Column("network", String(50), nullable=False),
    Column("supplier_id", String(100), nullable=False),
    Column("supplier_name", String(300), nullable=False),
    Column("scale", String(10), nullable=False),
    Column("region_code", String(10), nullable=False),
    UniqueConstraint("rfq_id", "nib", "network"),
    Index("ix_procurement_invitations_nib", "nib", "rfq_id"),
)

quotes = Table(
    "procurement_quotes",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("rfq_id", String(32), ForeignKey("procurement_rfqs.id"), nullable=False),
    Column("nib", String(13), nullable=False),
    Column("network", String(50), nullable=False),
    Column("supplier_id", String(100), nullable=False),
    Column("supplier_name", String(300), nullable=False),
    Column("scale", String(10), nullable=False),
    Column("delivery_days", Integer, nullable=False),
    Column("note", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("rfq_id", "nib"),  # one quote per supplier and RFQ
)

quote_lines = Table(
    "procurement_quote_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quote_id", String(32), ForeignKey("procurement_quotes.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("product_id", String(100), nullable=True),
    Column("native_quote_id", String(50), nullable=True),
    Column("unit_price", BigInteger, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),
    UniqueConstraint("quote_id", "position"),
)

awards = Table(
    "procurement_awards",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("rfq_id", String(32), ForeignKey("procurement_rfqs.id"), nullable=False, unique=True),
    Column("quote_id", String(32), ForeignKey("procurement_quotes.id"), nullable=False),
    Column("buyer_id", String(100), nullable=False, index=True),
    Column("network", String(50), nullable=False),
    Column("scale", String(10), nullable=False),  # the winner's, when awarded
    Column("status", String(20), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("order_id", String(32), nullable=True),  # the hub's orders.id (saga)
    Column("failure_reason", Text, nullable=True),
    Column("created_at", Float, nullable=False),
)

native_orders = Table(
    "procurement_native_orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("award_id", String(32), ForeignKey("procurement_awards.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("network", String(50), nullable=False),
    Column("order_id", String(100), nullable=False),
    Column("total", BigInteger, nullable=False),
    UniqueConstraint("award_id", "position"),
)
