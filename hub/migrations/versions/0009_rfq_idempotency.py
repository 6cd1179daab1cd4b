"""procurement RFQs: the buyer's idempotency key

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procurement_rfqs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            "uq_procurement_rfqs_buyer_key", ["buyer_id", "idempotency_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("procurement_rfqs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_procurement_rfqs_buyer_key", type_="unique")
        batch_op.drop_column("request_hash")
        batch_op.drop_column("idempotency_key")
