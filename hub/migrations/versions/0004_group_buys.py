"""group buys, their participants and allocations

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_buys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("coordinator_network", sa.String(length=50), nullable=False),
        sa.Column("coordinator_id", sa.String(length=100), nullable=False),
        sa.Column("coordinator_label", sa.String(length=200), nullable=False),
        sa.Column("coordinator_name", sa.String(length=300), nullable=False),
        sa.Column("delivery_region_code", sa.String(length=10), nullable=False),
        sa.Column("product_network", sa.String(length=50), nullable=False),
        sa.Column("product_id", sa.String(length=100), nullable=False),
        sa.Column("product_label", sa.String(length=200), nullable=False),
        sa.Column("product_name", sa.String(length=500), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("min_order", sa.Integer(), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("target_quantity", sa.Integer(), nullable=True),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("partners_only", sa.Boolean(), nullable=False),
        sa.Column("closes_at", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("order_id", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("locked_by", sa.String(length=64), nullable=True),
        sa.Column("locked_until", sa.Float(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("closed_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("group_buys", schema=None) as batch_op:
        batch_op.create_index(
            "ix_group_buys_coordinator", ["coordinator_network", "coordinator_id"], unique=False
        )
        batch_op.create_index("ix_group_buys_created", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_group_buys_due", ["status", "closes_at"], unique=False)
        batch_op.create_index(
            "ix_group_buys_product", ["product_network", "product_id"], unique=False
        )

    op.create_table(
        "group_buy_allocations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_buy_id", sa.String(length=32), nullable=False),
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("cooperative_id", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_buy_id"],
            ["group_buys.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "group_buy_id", "network", "cooperative_id", name="uq_group_buy_allocations_member"
        ),
    )
    op.create_table(
        "group_buy_participants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_buy_id", sa.String(length=32), nullable=False),
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("cooperative_id", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_buy_id"],
            ["group_buys.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "group_buy_id", "network", "cooperative_id", name="uq_group_buy_participants_member"
        ),
    )
    with op.batch_alter_table("group_buy_participants", schema=None) as batch_op:
        batch_op.create_index(
            "ix_group_buy_participants_cooperative", ["network", "cooperative_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("group_buy_participants", schema=None) as batch_op:
        batch_op.drop_index("ix_group_buy_participants_cooperative")

    op.drop_table("group_buy_participants")
    op.drop_table("group_buy_allocations")
    with op.batch_alter_table("group_buys", schema=None) as batch_op:
        batch_op.drop_index("ix_group_buys_product")
        batch_op.drop_index("ix_group_buys_due")
        batch_op.drop_index("ix_group_buys_created")
        batch_op.drop_index("ix_group_buys_coordinator")

    op.drop_table("group_buys")
