"""``hub clients`` and ``hub keys``: create prints a working secret once, list hides it."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import anyio.to_thread
import pytest

from hub.cli import main
from tests.hub.auth.conftest import COOPERATIVE, AuthHubFactory, network_env, with_settings
from tests.support.live import LiveNetworks

# A cooperative the reference SEJUK has: a client is bound only to one that exists.
SEJUK_COOPERATIVE = base64.urlsafe_b64encode(b"Cooperative:sejuk:1").decode().rstrip("=")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3")
    monkeypatch.setenv("HUB_AUTH_KEYS_DIR", str(tmp_path / "keys"))
    return tmp_path


@pytest.mark.asyncio(loop_scope="module")
async def test_clients_create_list_revoke(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    make_auth_hub: AuthHubFactory,
    live: LiveNetworks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable, url in network_env(live).items():
        monkeypatch.setenv(variable, url)

    def hub(*args: str) -> int:
        return main(list(args))

    code = await anyio.to_thread.run_sync(
        hub, "clients", "create", "--org", SEJUK_COOPERATIVE, "--scopes",
        "catalog:read,orders:read", "--name", "Warung app",
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "organisation:  " in out  # which one it is bound to, by name
    client_id = re.search(r"client_id:\s+(\S+)", out)
    secret = re.search(r"client_secret:\s+(\S+)", out)
    assert client_id
    assert secret
    client_id_text, secret_text = client_id.group(1), secret.group(1)

    assert await anyio.to_thread.run_sync(hub, "clients", "list") == 0
    listing = capsys.readouterr().out
    assert client_id_text in listing
    assert "active" in listing
    assert "Warung app" in listing
    assert "catalog:read,orders:read" in listing
    assert secret_text not in listing

    settings = with_settings(
        database_url=f"sqlite+aiosqlite:///{env}/hub.sqlite3", auth_keys_dir=str(env / "keys")
    )
    async with make_auth_hub(settings, keep_database=True) as running:
        form = {"grant_type": "client_credentials"}
        response = await running.client.post(
            "/oauth/token", data=form, auth=(client_id_text, secret_text)
        )
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        assert (await running.graphql(token)).status_code == 200

        assert await anyio.to_thread.run_sync(hub, "clients", "revoke", client_id_text) == 0
        assert "revoked" in capsys.readouterr().out
        again = await running.client.post(
            "/oauth/token", data=form, auth=(client_id_text, secret_text)
        )
        assert again.status_code == 401
        running.auth.validator.clients.ttl = 0  # type: ignore[union-attr]
        running.auth.validator.clients._entries.clear()  # type: ignore[union-attr]
        assert (await running.graphql(token)).status_code == 401

    assert await anyio.to_thread.run_sync(hub, "clients", "revoke", client_id_text) == 1
    assert await anyio.to_thread.run_sync(hub, "clients", "list") == 0
    assert "revoked" in capsys.readouterr().out


def test_create_rejects_bad_input(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clients", "create", "--org", COOPERATIVE, "--scopes", "root"]) == 2
    assert "unknown scope(s) root" in capsys.readouterr().err
    assert main(["clients", "create", "--org", "not-an-id", "--scopes", "catalog:read"]) == 2
    err = capsys.readouterr().err
    assert "BAD_USER_INPUT" in err
    assert "is not a global ID" in err


def test_keys_commands(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "rotate"]) == 0
    assert main(["keys", "rotate"]) == 0
    capsys.readouterr()
    assert main(["keys", "list"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first.endswith("verifies")
    assert second.endswith("signs")
    assert main(["keys", "retire", first.split()[0]]) == 0
    assert main(["keys", "retire", second.split()[0]]) == 1
    assert "only key" in capsys.readouterr().err
