"""orders: idempotency keys per buyer, not global

Revision ID: 0010
Revises: 0009

A global unique key let one organisation's order block another's retry under the same
key (CONFLICT). Keys are now unique per (buyer, key), as group buys' and RFQs' are.
Downgrading needs keys unique again across buyers: it fails while two buyers share one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# 0001 made the key's constraint without a name: PostgreSQL named it itself, SQLite not at
# all. SQLite's batch copy names reflected unnamed constraints by this convention.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_UNNAMED = "uq_orders_idempotency_key"


def _global_key_constraint() -> str:
    """The name of the unique constraint over ``orders.idempotency_key`` alone."""
    found = sa.inspect(op.get_bind()).get_unique_constraints("orders")
    name = next((c["name"] for c in found if c["column_names"] == ["idempotency_key"]), None)
    return name or _UNNAMED


def upgrade() -> None:
    old = _global_key_constraint()
    with op.batch_alter_table("orders", schema=None, naming_convention=_NAMING) as batch_op:
        batch_op.drop_constraint(old, type_="unique")
        batch_op.create_unique_constraint("uq_orders_buyer_key", ["buyer_id", "idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("uq_orders_buyer_key", type_="unique")
        batch_op.create_unique_constraint(_UNNAMED, ["idempotency_key"])
