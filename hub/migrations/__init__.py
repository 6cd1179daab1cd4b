"""Alembic migrations of the hub's database (``hub db upgrade``)."""
