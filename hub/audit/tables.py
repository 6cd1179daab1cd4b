"""The audit log's table (its own MetaData; Alembic migrates it with the others)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("client_id", String(100), nullable=True),  # None: no token (auth not required)
    Column("organization", String(200), nullable=True),
    Column("operation", String(200), nullable=False),
    Column("variables", JSON, nullable=False),  # secrets removed
    Column("outcome", String(40), nullable=False),  # ok, or the first error's code
    Column("message", Text, nullable=True),
    Index("ix_audit_log_client", "client_id", "at"),
)
