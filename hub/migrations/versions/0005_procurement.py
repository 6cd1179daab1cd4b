"""procurement (hub RFQ board)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procurement_rfqs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("buyer_id", sa.String(length=100), nullable=False),
        sa.Column("buyer_name", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("delivery_region_code", sa.String(length=10), nullable=False),
        sa.Column("deadline", sa.Float(), nullable=False),
        sa.Column("prefer_small", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("procurement_rfqs", schema=None) as batch_op:
        batch_op.create_index("ix_procurement_rfqs_buyer", ["buyer_id", "created_at"], unique=False)

    op.create_table(
        "procurement_rfq_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rfq_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kbli", sa.String(length=5), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("native_rfq_id", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(["rfq_id"], ["procurement_rfqs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rfq_id", "position"),
    )

    op.create_table(
        "procurement_invitations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rfq_id", sa.String(length=32), nullable=False),
        sa.Column("nib", sa.String(length=13), nullable=False),
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("supplier_name", sa.String(length=300), nullable=False),
        sa.Column("scale", sa.String(length=10), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["rfq_id"], ["procurement_rfqs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rfq_id", "nib", "network"),
    )
    with op.batch_alter_table("procurement_invitations", schema=None) as batch_op:
        batch_op.create_index("ix_procurement_invitations_nib", ["nib", "rfq_id"], unique=False)

    op.create_table(
        "procurement_quotes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("rfq_id", sa.String(length=32), nullable=False),
        sa.Column("nib", sa.String(length=13), nullable=False),
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("supplier_name", sa.String(length=300), nullable=False),
        sa.Column("scale", sa.String(length=10), nullable=False),
        sa.Column("delivery_days", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["rfq_id"], ["procurement_rfqs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rfq_id", "nib"),
    )

    op.create_table(
        "procurement_quote_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("quote_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=100), nullable=True),
        sa.Column("native_quote_id", sa.String(length=50), nullable=True),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["procurement_quotes.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("quote_id", "position"),
    )

    op.create_table(
        "procurement_awards",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("rfq_id", sa.String(length=32), nullable=False),
        sa.Column("quote_id", sa.String(length=32), nullable=False),
        sa.Column("buyer_id", sa.String(length=100), nullable=False),
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("scale", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["procurement_quotes.id"]),
        sa.ForeignKeyConstraint(["rfq_id"], ["procurement_rfqs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rfq_id"),
    )
    with op.batch_alter_table("procurement_awards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procurement_awards_buyer_id"), ["buyer_id"], unique=False
        )

    op.create_table(
        "procurement_native_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("award_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["award_id"], ["procurement_awards.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("award_id", "position"),
    )


def downgrade() -> None:
    op.drop_table("procurement_native_orders")
    with op.batch_alter_table("procurement_awards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procurement_awards_buyer_id"))
    op.drop_table("procurement_awards")
    op.drop_table("procurement_quote_lines")
    op.drop_table("procurement_quotes")
    with op.batch_alter_table("procurement_invitations", schema=None) as batch_op:
        batch_op.drop_index("ix_procurement_invitations_nib")
    op.drop_table("procurement_invitations")
    op.drop_table("procurement_rfq_items")
    with op.batch_alter_table("procurement_rfqs", schema=None) as batch_op:
        batch_op.drop_index("ix_procurement_rfqs_buyer")
    op.drop_table("procurement_rfqs")
