"""Subscriptions authenticate like HTTP requests: header or connection_init payload."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import websockets
from starlette.applications import Starlette

from hub.app import create_app
from hub.settings import load_settings
from tests.hub.auth.conftest import COOPERATIVE
from tests.support.serving import served


@asynccontextmanager
async def hub_requiring_auth(tmp_path: Path) -> AsyncIterator[tuple[str, Starlette]]:
    settings = load_settings(
        {
            "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3",
            "HUB_AUTH_KEYS_DIR": str(tmp_path / "keys"),
            "HUB_AUTH_REQUIRED": "true",
        }
    )
    app = create_app(settings)
    async with served(app) as url:
        yield url, app


async def init(url: str, payload: dict[str, Any] | None) -> dict[str, Any]:
    """The server's answer to ``connection_init`` (or how it closed the socket)."""
    ws_url = url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await ws.send(json.dumps(message))
        try:
            answer: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        except websockets.ConnectionClosed as closed:
            return {"closed": closed.rcvd.code if closed.rcvd else None}
        return answer


async def test_a_subscription_needs_a_valid_token_when_auth_is_required(tmp_path: Path) -> None:
    async with hub_requiring_auth(tmp_path) as (url, app):
        new = await app.state.auth.store.create(COOPERATIVE, "orders:read", "ws test")
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(new.record.client_id, new.secret),
            )
        token = response.json()["access_token"]
        without = await init(url, None)
        forged = await init(url, {"Authorization": "Bearer not.a.token"})
        valid = await init(url, {"Authorization": f"Bearer {token}"})
    assert without == {"closed": 4403}
    assert forged == {"closed": 4403}
    assert valid["type"] == "connection_ack"
