"""catalog index: products, suppliers, cooperatives, sync state, full-text search

Revision ID: 0006
Revises: 0005

SQLite gets an FTS5 table over the products (external content, rowid = the price-ordered
``key``) kept in step by triggers; PostgreSQL gets generated tsvector columns ('simple'
configuration: the hub normalises Indonesian text itself) with GIN indexes, and a
pattern index for start-of-name matches. See federation/index/.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_SQLITE_FTS = (
    """
    CREATE VIRTUAL TABLE catalog_products_fts USING fts5(
        search_name, search_body, tags,
        content='catalog_products', content_rowid='key',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER catalog_products_fts_insert AFTER INSERT ON catalog_products BEGIN
        INSERT INTO catalog_products_fts(rowid, search_name, search_body, tags)
        VALUES (new.key, new.search_name, new.search_body, new.tags);
    END
    """,
    """
    CREATE TRIGGER catalog_products_fts_delete AFTER DELETE ON catalog_products BEGIN
        INSERT INTO catalog_products_fts(catalog_products_fts, rowid, search_name, search_body, tags)
        VALUES ('delete', old.key, old.search_name, old.search_body, old.tags);
    END
    """,
    """
    CREATE TRIGGER catalog_products_fts_update
    AFTER UPDATE OF key, search_name, search_body, tags ON catalog_products BEGIN
        INSERT INTO catalog_products_fts(catalog_products_fts, rowid, search_name, search_body, tags)
        VALUES ('delete', old.key, old.search_name, old.search_body, old.tags);
        INSERT INTO catalog_products_fts(rowid, search_name, search_body, tags)
        VALUES (new.key, new.search_name, new.search_body, new.tags);
    END
    """,
)

_POSTGRES_FTS = (
    "ALTER TABLE catalog_products ADD COLUMN name_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_name)) STORED",
    "ALTER TABLE catalog_products ADD COLUMN text_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_name || ' ' || search_body)) STORED",
    "CREATE INDEX ix_catalog_products_name_vector ON catalog_products USING gin (name_vector)",
    "CREATE INDEX ix_catalog_products_text_vector ON catalog_products USING gin (text_vector)",
    "CREATE INDEX ix_catalog_products_name_start ON catalog_products "
    "(search_name text_pattern_ops)",
    "CREATE INDEX ix_catalog_products_category ON catalog_products (category, key)",
    "CREATE INDEX ix_catalog_products_region ON catalog_products (region_code text_pattern_ops)",
)


def upgrade() -> None:
    op.create_table(
        "catalog_products",
        sa.Column("key", _KEY, autoincrement=False, nullable=False),
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("stock", sa.BigInteger(), nullable=True),
        sa.Column("min_order", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=20), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.Column("search_body", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("loaded_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        sa.UniqueConstraint("network", "id", name="uq_catalog_products_network_id"),
    )
    with op.batch_alter_table("catalog_products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_products_supplier", ["network", "supplier_id"], unique=False
        )

    op.create_table(
        "catalog_suppliers",
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("nib", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region_code", sa.String(length=20), nullable=False),
        sa.Column("kbli", sa.JSON(), nullable=False),
        sa.Column("scale", sa.String(length=20), nullable=False),
        sa.Column("certifications", sa.JSON(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=True),
        sa.Column("partner_cooperative_ids", sa.JSON(), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("kbli_text", sa.Text(), nullable=False),
        sa.Column("certification_text", sa.Text(), nullable=False),
        sa.Column("loaded_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("network", "id"),
    )
    with op.batch_alter_table("catalog_suppliers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_suppliers_nib"), ["nib"], unique=False)
        batch_op.create_index("ix_catalog_suppliers_order", ["name_key", "nib"], unique=False)

    op.create_table(
        "catalog_cooperatives",
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("region_code", sa.String(length=20), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.Column("loaded_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("network", "id"),
    )

    op.create_table(
        "catalog_sync",
        sa.Column("network", sa.String(length=50), nullable=False),
        sa.Column("marker", sa.Text(), nullable=True),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("full_loaded", sa.Boolean(), nullable=False),
        sa.Column("synced_at", sa.Float(), nullable=True),
        sa.Column("attempted_at", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("network"),
    )

    dialect = op.get_bind().dialect.name
    statements = _SQLITE_FTS if dialect == "sqlite" else _POSTGRES_FTS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS catalog_products_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS catalog_products_fts")
    op.drop_table("catalog_sync")
    op.drop_table("catalog_cooperatives")
    with op.batch_alter_table("catalog_suppliers", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_suppliers_order")
        batch_op.drop_index(batch_op.f("ix_catalog_suppliers_nib"))
    op.drop_table("catalog_suppliers")
    with op.batch_alter_table("catalog_products", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_products_supplier")
    op.drop_table("catalog_products")
