"""The three reference networks on free ports, and a federation of real connectors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
from starlette.applications import Starlette

from connectors.registry import ConnectorConfig, build_connector
from federation.hub import Federation, FederationLimits
from federation.orders.database import connect
from federation.orders.service import OrderService
from federation.orders.store import OrderStore
from hub.database import upgrade
from networks.padi.app import create_app as create_padi
from networks.padi.settings import PadiSettings
from networks.sejuk.app import create_app as create_sejuk
from networks.sejuk.settings import SejukSettings
from networks.tangerang.app import create_app as create_tangerang
from networks.tangerang.settings import TangerangSettings
from networks.testing import on_free_port

ADMIN = {"Authorization": "Bearer admin-dev-token"}
CREDENTIALS: dict[str, dict[str, str]] = {
    "sejuk": {"api_key": "sejuk-dev-key"},
    "tangerang": {"client_id": "koperasi-hub", "secret": "tangerang-dev-secret"},
    "padi": {"client_id": "koperasi-hub", "client_secret": "padi-dev-secret"},
}


@dataclass(frozen=True)
class LiveNetworks:
    urls: dict[str, str]
    apps: dict[str, Starlette]

    def configs(self, timeout: float = 2.0) -> list[ConnectorConfig]:
        return [
            ConnectorConfig(code, code, url, CREDENTIALS[code], timeout)
            for code, url in self.urls.items()
        ]

    async def admin(self, code: str, method: str, path: str, json: Any = None) -> Any:
        async with httpx.AsyncClient(base_url=self.urls[code], headers=ADMIN) as client:
            response = await client.request(method, path, json=json)
            response.raise_for_status()
            return response.json()

    async def set_faults(self, code: str, **faults: Any) -> None:
        await self.admin(code, "PUT", "/admin/faults", faults)

    async def clear_faults(self) -> None:
        for code in self.urls:
            await self.admin(code, "DELETE", "/admin/faults")

    async def request_counts(self) -> dict[str, int]:
        return {
            code: (await self.admin(code, "GET", "/admin/requests"))["total"] for code in self.urls
        }

    async def reset_counts(self) -> None:
        for code in self.urls:
            await self.admin(code, "DELETE", "/admin/requests")


@asynccontextmanager
async def live_networks(data_dir: Path, products: int = 150) -> AsyncIterator[LiveNetworks]:
    """SEJUK, Tangerang and PaDi, seeded alike, served by uvicorn on free ports."""
    apps: dict[str, Starlette] = {
        "sejuk": create_sejuk(SejukSettings(data_dir=data_dir, products=products)),
        "tangerang": create_tangerang(TangerangSettings(data_dir=data_dir, products=products)),
        "padi": create_padi(PadiSettings(data_dir=data_dir, products=products)),
    }
    async with AsyncExitStack() as stack:
        urls = {
            code: await stack.enter_async_context(on_free_port(app)) for code, app in apps.items()
        }
        yield LiveNetworks(urls, apps)


@asynccontextmanager
async def federation_over(
    networks: LiveNetworks, deadline: float = 2.0, request_timeout: float = 2.0
) -> AsyncIterator[Federation]:
    federation = Federation(
        [build_connector(c) for c in networks.configs(request_timeout)],
        FederationLimits(deadline=deadline),
    )
    try:
        yield federation
    finally:
        await federation.aclose()


@asynccontextmanager
async def order_service(federation: Federation, database_url: str) -> AsyncIterator[OrderService]:
    """Orders over ``federation`` on a freshly migrated database at ``database_url``."""
    await anyio.to_thread.run_sync(upgrade, database_url)
    engine = connect(database_url)
    try:
        yield OrderService(OrderStore(engine), federation, retry_after=0.2)
    finally:
        await engine.dispose()
