"""The OAuth clients table (SQLAlchemy Core; Alembic migrates it, revision 0002)."""

from __future__ import annotations

from sqlalchemy import Column, Float, MetaData, String, Table, Text

metadata = MetaData()

oauth_clients = Table(
    "oauth_clients",
    metadata,
    Column("client_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("organization", String(300), nullable=False, index=True),
    Column("scopes", Text, nullable=False),  # space-separated
    Column("secret_hash", String(300), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
)
