"""The hub's own tables for group buys (SQLAlchemy Core; migration 0004 creates them)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

group_buys = Table(
    "group_buys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("coordinator_network", String(50), nullable=False),
    Column("coordinator_id", String(100), nullable=False),
    Column("coordinator_label", String(200), nullable=False),
    Column("coordinator_name", String(300), nullable=False),
    Column("delivery_region_code", String(10), nullable=False),
    Column("product_network", String(50), nullable=False),
    Column("product_id", String(100), nullable=False),
    Column("product_label", String(200), nullable=False),
    Column("product_name", String(500), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("supplier_id", String(100), nullable=False),
    Column("min_order", Integer, nullable=False),
    Column("tiers", JSON, nullable=False),  # [[min_quantity, unit_price], ...] as of opening
    Column("target_quantity", Integer, nullable=True),
    Column("min_quantity", Integer, nullable=False),
    Column("partners_only", Boolean, nullable=False),
    Column("closes_at", Float, nullable=False),
    Column("status", String(20), nullable=False),
    Column("failure_reason", Text, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("order_id", String(32), nullable=True),
    Column("version", Integer, nullable=False),
    # A closer's lease: a closer that died leaves it to run out; also "not before" on retries.
    Column("locked_by", String(64), nullable=True),
    Column("locked_until", Float, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("closed_at", Float, nullable=True),
    Column("idempotency_key", String(200), nullable=True),  # the coordinator's, when given
    Column("request_hash", String(64), nullable=True),  # OpenGroupBuyRequest.fingerprint()
    UniqueConstraint(
        "coordinator_network",
        "coordinator_id",
        "idempotency_key",
        name="uq_group_buys_coordinator_key",
    ),
    Index("ix_group_buys_created", "created_at", "id"),
    Index("ix_group_buys_due", "status", "closes_at"),
    Index("ix_group_buys_product", "product_network", "product_id"),
    Index("ix_group_buys_coordinator", "coordinator_network", "coordinator_id"),
)

# One row per (group buy, cooperative): joining again updates it, and the total is a SUM
# over rows, so two joins at once both count.
group_buy_participants = Table(
    "group_buy_participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_buy_id", String(32), ForeignKey("group_buys.id"), nullable=False),
    Column("network", String(50), nullable=False),
    Column("cooperative_id", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("joined_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    UniqueConstraint(
        "group_buy_id", "network", "cooperative_id", name="uq_group_buy_participants_member"
    ),
    Index("ix_group_buy_participants_cooperative", "network", "cooperative_id"),
)

group_buy_allocations = Table(
    "group_buy_allocations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_buy_id", String(32), ForeignKey("group_buys.id"), nullable=False),
    Column("network", String(50), nullable=False),
    Column("cooperative_id", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=True),  # None: not charged (FAILED)
    Column("amount", BigInteger, nullable=False),
    UniqueConstraint(
        "group_buy_id", "network", "cooperative_id", name="uq_group_buy_allocations_member"
    ),
)
