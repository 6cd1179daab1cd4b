"""Registered OAuth clients in the hub database: created, listed, looked up, revoked."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import anyio.to_thread
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.auth.hashing import hash_secret
from hub.auth.organizations import organization_type
from hub.auth.scopes import parse_scopes, scope_text
from hub.auth.tables import oauth_clients


@dataclass(frozen=True)
class ClientRecord:
    """One client as stored (the secret only as its hash)."""

    client_id: str
    name: str
    organization: str
    scopes: frozenset[str]
    secret_hash: str
    created_at: float
    revoked_at: float | None = None

    @property
    def active(self) -> bool:
        """Whether the client may still get and use tokens."""
        return self.revoked_at is None


@dataclass(frozen=True)
class NewClient:
    """A client just created, with the only copy of its secret."""

    record: ClientRecord
    secret: str


class ClientStore:
    """The ``oauth_clients`` table."""

    def __init__(self, engine: AsyncEngine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock

    async def create(
        self, organization: str, scopes: Iterable[str] | str, name: str = ""
    ) -> NewClient:
        """A new client bound to ``organization`` with ``scopes``.

        Raises ``OrganizationError`` or ``ScopeError`` (both ``ValueError``) on bad input.
        """
        organization_type(organization)
        granted = parse_scopes(scopes)
        if not granted:
            raise ValueError("a client needs at least one scope")
        secret = secrets.token_urlsafe(32)
        record = ClientRecord(
            client_id=f"hub_{secrets.token_hex(10)}",
            name=name,
            organization=organization,
            scopes=granted,
            secret_hash=await anyio.to_thread.run_sync(hash_secret, secret),
            created_at=self.clock(),
        )
        async with self.engine.begin() as connection:
            await connection.execute(
                oauth_clients.insert().values(
                    client_id=record.client_id,
                    name=record.name,
                    organization=record.organization,
                    scopes=scope_text(record.scopes),
                    secret_hash=record.secret_hash,
                    created_at=record.created_at,
                    revoked_at=None,
                )
            )
        return NewClient(record, secret)

    async def get(self, client_id: str) -> ClientRecord | None:
        """The client with ``client_id``, revoked or not; None when there is none."""
        async with self.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(oauth_clients).where(oauth_clients.c.client_id == client_id)
                )
            ).first()
        return _record(row._mapping) if row is not None else None

    async def list(self) -> list[ClientRecord]:
        """Every client, oldest first."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(oauth_clients).order_by(
                    oauth_clients.c.created_at, oauth_clients.c.client_id
                )
            )
            return [_record(row._mapping) for row in rows]

    async def revoke(self, client_id: str) -> bool:
        """Revoke ``client_id``; False when there is no such client still active."""
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(oauth_clients)
                .where(oauth_clients.c.client_id == client_id, oauth_clients.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
        return bool(result.rowcount)


def _record(row: object) -> ClientRecord:
    values = dict(row)  # type: ignore[call-overload]
    return ClientRecord(
        client_id=values["client_id"],
        name=values["name"],
        organization=values["organization"],
        scopes=frozenset(values["scopes"].split()),
        secret_hash=values["secret_hash"],
        created_at=values["created_at"],
        revoked_at=values["revoked_at"],
    )


class ClientCache:
    """Clients by id, each looked up again after ``ttl`` seconds (0: on every call).

    Validation asks on every request whether a token's client was revoked; this bounds how
    long a revocation takes to be seen, and the database load, to ``ttl``.
    """

    def __init__(
        self,
        store: ClientStore,
        ttl: float,
        *,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[str, tuple[float, ClientRecord | None]] = {}

    async def get(self, client_id: str) -> ClientRecord | None:
        """The client, from the cache while fresh, else from the store."""
        now = self.clock()
        cached = self._entries.get(client_id)
        if cached is not None and now < cached[0]:
            return cached[1]
        record = await self.store.get(client_id)
        if self.ttl > 0:
            self._entries.pop(client_id, None)
            self._entries[client_id] = (now + self.ttl, record)
            if len(self._entries) > self.max_entries:
                del self._entries[next(iter(self._entries))]
        return record
