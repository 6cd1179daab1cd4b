"""Fixtures for the Tangerang network: a small seeded app and signed clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from networks.tangerang.app import create_app
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth
from networks.testing import in_process

CLIENT_ID = "koperasi-hub"
SECRET = "tangerang-dev-secret"
ADMIN = {"Authorization": "Bearer admin-dev-token"}


def small_settings(data_dir: Path, **overrides: object) -> TangerangSettings:
    """Settings for a fast test network (about 120 items)."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "products": 120,
        "stream_keepalive_seconds": 0.2,
        "hmac_clients": {CLIENT_ID: SECRET, "other-app": "other-secret"},
    }
    values.update(overrides)
    return TangerangSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> TangerangSettings:
    return small_settings(tmp_path)


@pytest.fixture
async def client(settings: TangerangSettings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an in-process network that signs as the hub."""
    async with in_process(create_app(settings)) as http:
        http.auth = HmacAuth(CLIENT_ID, SECRET)
        yield http
