"""The hub database's schema, brought up to date with Alembic (``hub db upgrade``)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from federation.groupbuy.tables import metadata as groupbuy_metadata
from federation.index.tables import metadata as index_metadata
from federation.orders.tables import metadata as orders_metadata
from federation.procurement.tables import metadata as procurement_metadata
from hub.audit.tables import metadata as audit_metadata
from hub.auth.tables import metadata as auth_metadata

# Every table the migrations make, by the package that owns it.
METADATA: tuple[MetaData, ...] = (
    orders_metadata,
    auth_metadata,
    audit_metadata,
    groupbuy_metadata,
    procurement_metadata,
    index_metadata,
)
# Full-text search lives in dialect-specific objects the catalog migrations (0006, 0007)
# make by hand: SQLite's FTS5 table; PostgreSQL's tsvector columns, its GIN and pattern
# indexes, and the postings table its triggers fill. They are not in the models, so they
# are not compared.
_FTS_TABLES = "catalog_products_fts"  # and the shadow tables FTS5 makes beside it
_HAND_MADE = (
    "name_vector",
    "text_vector",
    "ix_catalog_products_name_vector",
    "ix_catalog_products_text_vector",
    "ix_catalog_products_name_start",
    "ix_catalog_products_category",
    "ix_catalog_products_region",
    "catalog_terms",
)


def modelled(obj: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's ``include_object``: leave out the hand-made full-text objects."""
    hand_made = name is not None and (name in _HAND_MADE or name.startswith(_FTS_TABLES))
    return not (reflected and hand_made)


def alembic_config(database_url: str) -> Config:
    """Alembic's configuration, in code: no alembic.ini to keep in step."""
    config = Config()
    config.set_main_option("script_location", "hub:migrations")
    # configparser interpolates "%": escape it (URL-encoded passwords, socket paths).
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database at ``database_url`` (blocking: call from a thread in async code)."""
    command.upgrade(alembic_config(database_url), revision)
