"""The hub database's schema, brought up to date with Alembic (``hub db upgrade``)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config


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
