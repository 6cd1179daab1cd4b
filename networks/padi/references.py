"""Client references: how a client retries a PaDi write without making it twice."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from networks.padi.errors import DUPLICATE_REFERENCE, PadiError
from networks.padi.records import Input


def request_hash(data: Input) -> str:
    """A fingerprint of an input's content, to tell a retry from a different request."""
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def made_before(
    session: AsyncSession,
    table: Table,
    owner: str,
    client_id: str,
    reference: str,
    fingerprint: str,
    what: str,
) -> int | None:
    """The id of the ``table`` row ``client_id`` (in column ``owner``) made under
    ``reference``; None when there is none; DUPLICATE_REFERENCE when it was made from a
    different input (``what`` names the kind of row in the message)."""
    c = table.c
    row = (
        await session.execute(
            select(c.id, c.request_hash).where(
                c[owner] == client_id, c.client_reference == reference
            )
        )
    ).first()
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise PadiError(
            DUPLICATE_REFERENCE,
            f"clientReference {reference!r} was already used for a different {what}",
        )
    return int(row.id)
