"""The hub's own tables for orders (SQLAlchemy Core; Alembic migrates them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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

orders = Table(
    "orders",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("idempotency_key", String(200), nullable=False),  # the buyer's own
    Column("request_hash", String(64), nullable=False),
    Column("buyer_id", String(200), nullable=False, index=True),
    Column("buyer_name", String(300), nullable=False),
    Column("buyer_network", String(50), nullable=False),
    Column("delivery_region_code", String(10), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("failure_reason", Text, nullable=True),
    Column("total", BigInteger, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_orders_created", "created_at", "id"),
    # Keys are per buyer: one organisation's key never meets (or blocks) another's.
    UniqueConstraint("buyer_id", "idempotency_key", name="uq_orders_buyer_key"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("network", String(50), nullable=False),
    Column("product_id", String(100), nullable=False),  # the network's own id
    Column("name", String(500), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),
)

sub_orders = Table(
    "sub_orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False, index=True),
    Column("network", String(50), nullable=False),
    Column("reference", String(100), nullable=False, unique=True),
    Column("native_id", String(100), nullable=True),
    Column("state", String(20), nullable=False),  # saga state, see model.SubOrderState
    Column("network_status", String(20), nullable=True),  # connectors' OrderStatus
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("total", BigInteger, nullable=True),
    UniqueConstraint("order_id", "network"),
)

order_events = Table(
    "order_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("network", String(50), nullable=True),
    Column("created_at", Float, nullable=False),
    Index("ix_order_events_order", "order_id", "id"),
)

# Work to do, durably: a crash between writing intent and acting on it loses nothing,
# because the row stays until a worker finishes it. Claimed with a lease.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False, index=True),
    Column("task", String(20), nullable=False),  # place | cancel
    Column("available_at", Float, nullable=False),
    Column("locked_by", String(64), nullable=True),
    Column("locked_until", Float, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("done_at", Float, nullable=True),
    Index("ix_outbox_due", "done_at", "available_at"),
)
