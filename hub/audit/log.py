"""Writing audit entries, with anything that looks like a secret taken out first."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.audit.tables import audit_log

_SECRET = re.compile(r"secret|password|token|authorization|api.?key|signature", re.IGNORECASE)
REMOVED = "[removed]"


def without_secrets(value: Any) -> Any:
    """``value`` with every entry whose key names a secret replaced, at any depth."""
    if isinstance(value, dict):
        return {
            key: REMOVED if _SECRET.search(str(key)) else without_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


@dataclass(frozen=True)
class AuditEntry:
    client_id: str | None
    organization: str | None
    operation: str
    variables: dict[str, Any]
    outcome: str
    message: str | None = None
    at: float | None = None  # seconds since the epoch; set when read back


class AuditLog:
    """The hub database's audit log."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def record(self, entry: AuditEntry) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(audit_log).values(
                    at=time.time(),
                    client_id=entry.client_id,
                    organization=entry.organization,
                    operation=entry.operation,
                    variables=without_secrets(entry.variables),
                    outcome=entry.outcome,
                    message=entry.message,
                )
            )

    async def latest(
        self, limit: int = 100, *, client_id: str | None = None, organization: str | None = None
    ) -> list[AuditEntry]:
        """The newest entries first, of one client or organisation when named."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if client_id is not None:
            query = query.where(audit_log.c.client_id == client_id)
        if organization is not None:
            query = query.where(audit_log.c.organization == organization)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            AuditEntry(
                client_id=r.client_id,
                organization=r.organization,
                operation=r.operation,
                variables=r.variables,
                outcome=r.outcome,
                message=r.message,
                at=r.at,
            )
            for r in rows
        ]
