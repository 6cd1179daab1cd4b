"""Client records: scopes, organisations, hashed secrets, the store and its cache."""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
import pytest
from sqlalchemy import select

from federation.orders.database import connect
from hub.auth.clients import ClientCache, ClientStore
from hub.auth.hashing import SecretVerifier, hash_secret, verify_secret
from hub.auth.organizations import OrganizationError, organization_type
from hub.auth.scopes import SCOPES, ScopeError, parse_scopes, scope_text
from hub.auth.tables import oauth_clients
from hub.database import upgrade
from tests.hub.auth.conftest import COOPERATIVE, SUPPLIER, b64


def test_scopes() -> None:
    assert parse_scopes("orders:read,catalog:read") == {"orders:read", "catalog:read"}
    assert parse_scopes("orders:read catalog:read") == {"orders:read", "catalog:read"}
    assert scope_text(SCOPES[::-1]) == " ".join(SCOPES)
    with pytest.raises(ScopeError, match="unknown scope"):
        parse_scopes("catalog:read admin")


def test_organizations() -> None:
    assert organization_type(COOPERATIVE) == "Cooperative"
    assert organization_type(SUPPLIER) == "Supplier"
    assert organization_type(b64(b"BUMN:pupuk-indonesia")) == "BUMN"
    for bad in ("", "%%%", b64(b"Product:padi:1"), b64(b"Cooperative:"), b64(b"\xff\xfe")):
        with pytest.raises(OrganizationError):
            organization_type(bad)


def test_secrets_are_salted_and_checked() -> None:
    first, second = hash_secret("s3cret"), hash_secret("s3cret")
    assert first != second
    assert "s3cret" not in first
    assert verify_secret("s3cret", first)
    assert verify_secret("s3cret", second)
    assert not verify_secret("s3cret!", first)
    for broken in ("", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$aa$bb"):
        assert not verify_secret("s3cret", broken)


async def test_store(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    try:
        store = ClientStore(engine)
        new = await store.create(COOPERATIVE, "catalog:read,orders:write", "Koperasi app")
        assert new.record.scopes == {"catalog:read", "orders:write"}
        assert await SecretVerifier(1).verify(new.secret, new.record.secret_hash)
        async with engine.connect() as connection:
            stored = (await connection.execute(select(oauth_clients))).one()._mapping
        assert new.secret not in str(dict(stored))
        assert stored["scopes"] == "catalog:read orders:write"
        assert await store.get(new.record.client_id) == new.record
        assert await store.get("hub_none") is None
        for org, scopes in ((COOPERATIVE, "admin"), ("nope", "catalog:read"), (SUPPLIER, "")):
            with pytest.raises(ValueError):  # noqa: PT011 - scope, org and empty differ
                await store.create(org, scopes)
        other = await store.create(SUPPLIER, ["analytics:read"])
        assert [r.client_id for r in await store.list()] == [
            new.record.client_id,
            other.record.client_id,
        ]
        assert await store.revoke(new.record.client_id)
        assert not await store.revoke(new.record.client_id)
        revoked = await store.get(new.record.client_id)
        assert revoked is not None
        assert not revoked.active

        now = [0.0]
        cache = ClientCache(store, ttl=5, clock=lambda: now[0])
        assert (await cache.get(other.record.client_id)) is not None
        await store.revoke(other.record.client_id)
        cached = await cache.get(other.record.client_id)
        assert cached is not None
        assert cached.active
        now[0] = 5.0
        fresh = await cache.get(other.record.client_id)
        assert fresh is not None
        assert not fresh.active
    finally:
        await engine.dispose()
