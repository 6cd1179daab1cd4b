"""Clients only for organisations that exist, ``hub orgs list``, and a partner app that
finds the hub by discovery: ``hub serve --port 0``, its OAuth metadata, a token, ``viewer``."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
import httpx
import pytest

from hub.app import served_at
from hub.auth.organizations import OrganizationKind, parse_organization
from hub.cli import main
from hub.server import bind, socket_url
from hub.settings import load_settings
from resolvers.ids import to_global_id
from tests.hub.auth.conftest import network_env
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

PANGAN = to_global_id("Bumn", "BUMN-PANGAN")
READY_LINE = "Koperasi Hub serving "
VIEWER = """{ viewer { clientId scopes organizationId organization {
  __typename ... on Bumn { id code name sector rfqs { edges { node { id } } } }
} } }"""


@pytest.fixture
def env(tmp_path: Path, live: LiveNetworks, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The hub's database and keys in ``tmp_path``, its networks the live ones."""
    values = {
        "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3",
        "HUB_AUTH_KEYS_DIR": str(tmp_path / "keys"),
        **network_env(live),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


async def hub(*args: str) -> int:
    """``hub <args>`` in a thread: the networks keep serving on this loop meanwhile."""
    return await anyio.to_thread.run_sync(main, list(args))


async def client_count(capsys: pytest.CaptureFixture[str]) -> int:
    capsys.readouterr()
    assert await hub("clients", "list") == 0
    return len(capsys.readouterr().out.splitlines())


async def test_orgs_list_shows_each_kind_with_ids_clients_create_takes(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert await hub("orgs", "list") == 0  # BUMN by default
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 12
    pangan = next(line for line in lines if "BUMN-PANGAN" in line)
    assert pangan.split()[:3] == [PANGAN, "Bumn:BUMN-PANGAN", "padi"]
    assert pangan.endswith("PT Pangan Negeri (Persero)")

    assert await hub("orgs", "list", "--kind", "cooperative", "--limit", "2") == 0
    cooperatives = capsys.readouterr().out.splitlines()
    assert {line.split()[2] for line in cooperatives} == {"sejuk", "tangerang", "padi"}
    first = cooperatives[0].split()[0]
    assert await hub("clients", "create", "--org", first, "--scopes", "catalog:read") == 0
    assert f"org={first}" in (capsys.readouterr(), await _listing(capsys))[1]

    assert await hub("orgs", "list", "--kind", "supplier", "--limit", "1") == 0
    supplier = capsys.readouterr().out.splitlines()[0].split()
    assert parse_organization(supplier[0]).kind is OrganizationKind.SUPPLIER
    # The decoded form an operator reads off the list works as well as the ID.
    assert await hub("clients", "create", "--org", supplier[1], "--scopes", "catalog:read") == 0
    assert f"org={supplier[0]}" in (capsys.readouterr(), await _listing(capsys))[1]


async def _listing(capsys: pytest.CaptureFixture[str]) -> str:
    assert await hub("clients", "list") == 0
    return capsys.readouterr().out


async def test_clients_create_refuses_an_organisation_nobody_has(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    nope = base64.urlsafe_b64encode(b"BUMN:BUMN-NOPE").decode().rstrip("=")
    for org in ("BUMN:BUMN-NOPE", nope, "Cooperative:sejuk:NOPE", "Cooperative:jakarta:1",
                "Supplier:9999999999999"):  # fmt: skip
        assert await hub("clients", "create", "--org", org, "--scopes", "catalog:read") == 2, org
        err = capsys.readouterr().err
        assert "NOT_FOUND" in err, err
        assert "Cooperative, Bumn, Supplier" in err
        assert "hub orgs list" in err
    assert await client_count(capsys) == 0


async def test_clients_create_refuses_malformed_ids(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for org, why in (
        ("not-an-id", "is not a global ID"),
        ("Koperasi:sejuk:1", "is not the ID of an organisation"),
        ("Cooperative:sejuk", "Cooperative:<network>:<id>"),
        ("Supplier:12345", "13-digit NIB"),
        (to_global_id("Product", "sejuk", "1"), "is not the ID of an organisation"),
    ):
        assert await hub("clients", "create", "--org", org, "--scopes", "catalog:read") == 2, org
        err = capsys.readouterr().err
        assert "BAD_USER_INPUT" in err, err
        assert why in err
        assert "Cooperative, Bumn, Supplier" in err
    assert await client_count(capsys) == 0


async def test_clients_create_writes_nothing_while_the_network_is_down(
    env: dict[str, str], live: LiveNetworks, capsys: pytest.CaptureFixture[str]
) -> None:
    await live.set_faults("padi", down="503")
    try:
        code = await hub("clients", "create", "--org", PANGAN, "--scopes", "procurement:read")
    finally:
        await live.clear_faults()
    assert code == 1
    assert "NETWORK_UNAVAILABLE" in capsys.readouterr().err
    assert await client_count(capsys) == 0


async def test_the_issuer_is_the_bound_socket_unless_configured() -> None:
    settings = load_settings({"HUB_PORT": "8000"})
    with bind("127.0.0.1", 0) as sock:
        served = served_at(settings, sock)
        assert served.token_issuer == socket_url(sock)
        assert served.token_issuer != "http://127.0.0.1:8000"
        configured = load_settings({"HUB_AUTH_ISSUER": "https://hub.example.id"})
        assert served_at(configured, sock).token_issuer == "https://hub.example.id"
    assert load_settings({"HUB_HOST": "::1"}).token_issuer == "http://[::1]:8000"


@asynccontextmanager
async def hub_serving(env: dict[str, str]) -> AsyncIterator[str]:
    """``hub serve --port 0`` as its own process; its base URL once it serves."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("HUB_")}
    clean.update(env, PYTHONUNBUFFERED="1", HUB_INDEX="false", HUB_RATE_LIMIT="0")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hub.cli", "serve", "--port", "0",
        env=clean, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        assert line.startswith(READY_LINE), f"the hub did not start: {line!r}"
        yield line.removeprefix(READY_LINE).strip().removesuffix("/graphql")
    finally:
        process.terminate()
        await process.wait()


def claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=="))
    return decoded


async def test_a_partner_app_finds_the_token_endpoint_and_learns_its_organisation(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    scopes = "catalog:read,procurement:read"
    assert await hub("clients", "create", "--org", "Bumn:BUMN-PANGAN", "--scopes", scopes) == 0
    out = capsys.readouterr().out
    client_id = re.search(r"client_id:\s+(\S+)", out)
    secret = re.search(r"client_secret:\s+(\S+)", out)
    assert client_id
    assert secret

    async with hub_serving(env) as base, httpx.AsyncClient(timeout=30) as http:
        found = await http.get(f"{base}/.well-known/oauth-authorization-server")
        assert found.status_code == 200
        metadata = found.json()
        assert metadata["issuer"] == base  # the port it got, not the default 8000
        assert metadata["token_endpoint"] == f"{base}/oauth/token"
        assert (await http.get(metadata["jwks_uri"])).status_code == 200

        issued = await http.post(
            metadata["token_endpoint"],
            data={"grant_type": "client_credentials"},
            auth=(client_id.group(1), secret.group(1)),
        )
        assert issued.status_code == 200, issued.text
        token = issued.json()["access_token"]
        assert claims(token)["iss"] == metadata["issuer"]

        answer = await http.post(
            f"{base}/graphql",
            json={"query": VIEWER},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200, answer.text
        assert "errors" not in answer.json(), answer.json()
        viewer = answer.json()["data"]["viewer"]
        assert viewer["clientId"] == client_id.group(1)
        assert viewer["scopes"] == ["catalog:read", "procurement:read"]
        assert viewer["organizationId"] == PANGAN
        assert viewer["organization"] == {
            "__typename": "Bumn",
            "id": PANGAN,
            "code": "BUMN-PANGAN",
            "name": "PT Pangan Negeri (Persero)",
            "sector": "pangan",
            "rfqs": {"edges": []},
        }

        anonymous = await http.post(f"{base}/graphql", json={"query": VIEWER})
        assert anonymous.status_code == 401
