"""catalog index: cooperatives in name order

Revision ID: 0011
Revises: 0010

The graph's ``cooperatives`` now answers from the index, in the live path's order
(casefolded name, then network and id), read along an index as suppliers' are. Rows
indexed before get ``lower(name)``, which the next directory re-read replaces with the
casefolded name (the two differ only beyond ASCII).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_cooperatives", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE catalog_cooperatives SET name_key = lower(name)")
    with op.batch_alter_table("catalog_cooperatives", schema=None) as batch_op:
        batch_op.alter_column("name_key", server_default=None)
        batch_op.create_index(
            "ix_catalog_cooperatives_order", ["name_key", "network", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catalog_cooperatives", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_cooperatives_order")
        batch_op.drop_column("name_key")
