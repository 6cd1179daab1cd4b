"""Signing keys: made on first start, rotated, retired; rotation seen through the hub."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hub.auth.keys import KeyRing, KeyRingError, ensure_keys, key_files, load_keys, retire, rotate
from hub.auth.principal import AuthError
from tests.hub.auth.conftest import AuthHubFactory, with_settings


def test_first_key_is_made_once_and_private(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    ring = ensure_keys(folder)
    assert len(ring.keys) == 1
    assert ensure_keys(folder).signing_key.kid == ring.signing_key.kid
    [path] = key_files(folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    public = ring.jwks()["keys"][0]
    assert public["kid"] == ring.signing_key.kid
    assert public["alg"] == "RS256"
    assert public["use"] == "sig"
    assert "d" not in public
    assert "p" not in public


def test_newest_key_signs_and_older_ones_verify_until_retired(tmp_path: Path) -> None:
    first = ensure_keys(tmp_path).signing_key.kid
    second = rotate(tmp_path)
    ring = load_keys(tmp_path)
    assert ring.signing_key.kid == second
    assert ring.find(first) is not None
    assert [key["kid"] for key in ring.jwks()["keys"]] == [second, first]
    retire(tmp_path, first)
    ring = load_keys(tmp_path)
    assert ring.find(first) is None
    assert (tmp_path / "retired" / f"{first}.pem").exists()
    with pytest.raises(KeyRingError, match="only key"):
        retire(tmp_path, second)
    with pytest.raises(KeyRingError, match="no key"):
        retire(tmp_path, first)


def test_no_keys_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeyRingError, match="hub keys rotate"):
        load_keys(tmp_path)
    with pytest.raises(KeyRingError):
        KeyRing(())


async def test_rotation_through_the_hub(make_auth_hub: AuthHubFactory, tmp_path: Path) -> None:
    settings = with_settings(
        auth_keys_dir=str(tmp_path / "keys"),
        database_url=f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3",
    )
    async with make_auth_hub(settings, keep_database=True) as hub:
        new = await hub.new_client()
        old_token = await hub.token(new)
        old_kid = hub.auth.keys.signing_key.kid
    new_kid = rotate(tmp_path / "keys")
    async with make_auth_hub(settings, keep_database=True) as hub:
        assert hub.auth.keys.signing_key.kid == new_kid
        jwks = (await hub.client.get("/.well-known/jwks.json")).json()
        assert [key["kid"] for key in jwks["keys"]] == [new_kid, old_kid]
        fresh = await hub.token(new)
        assert (await hub.graphql(fresh)).status_code == 200
        assert (await hub.graphql(old_token)).status_code == 200  # the previous key verifies
    retire(tmp_path / "keys", old_kid)
    async with make_auth_hub(settings, keep_database=True) as hub:
        assert (await hub.graphql(fresh)).status_code == 200
        with pytest.raises(AuthError) as raised:
            await hub.auth.validator.authenticate(f"Bearer {old_token}")
        assert raised.value.reason == "unknown_key"
        assert (await hub.graphql(old_token)).status_code == 401
