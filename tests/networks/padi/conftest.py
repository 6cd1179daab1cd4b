"""Fixtures for PaDi: a small seeded network in-process and a client holding a token.

Helpers live on the ``Padi`` object the fixtures hand out, because test modules here are
not importable packages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from starlette.applications import Starlette

from networks.padi.app import create_app
from networks.padi.settings import PadiSettings
from networks.testing import in_process

CLIENT = ("koperasi-hub", "padi-dev-secret")
OTHER_CLIENT = ("mitra-lain", "mitra-secret")


class Padi:
    """A running PaDi, its app, and GraphQL/admin calls as one OAuth client."""

    admin: ClassVar[dict[str, str]] = {"Authorization": "Bearer admin-dev-token"}

    def __init__(self, http: httpx.AsyncClient, app: Starlette, token: str) -> None:
        self.http = http
        self.app = app
        self.token = token

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def fetch_token(self, auth: tuple[str, str] = CLIENT) -> str:
        response = await self.http.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=auth
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    async def as_client(self, auth: tuple[str, str]) -> Padi:
        return Padi(self.http, self.app, await self.fetch_token(auth))

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.auth
        )

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Data of an operation that must succeed."""
        response = await self.post(query, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The first error of an operation that must fail inside GraphQL."""
        response = await self.post(query, variables)
        assert response.status_code == 200, response.text
        errors: list[dict[str, Any]] = response.json()["errors"]
        return errors[0]

    async def product(self, product_id: str) -> dict[str, Any] | None:
        data = await self.gql(
            "query($id: ID!) { product(id: $id) { id name price stock minOrder unit } }",
            {"id": product_id},
        )
        found: dict[str, Any] | None = data["product"]
        return found

    async def orderable(self, skip: int = 0) -> dict[str, Any]:
        """A product in stock with room for twice its minimum order."""
        data = await self.gql(
            "{ searchProducts(filter: {inStock: true}, size: 100) "
            "{ items { id name price stock minOrder unit } } }"
        )
        items = [p for p in data["searchProducts"]["items"] if p["stock"] >= 2 * p["minOrder"]]
        item: dict[str, Any] = items[skip]
        return item

    async def place(
        self, reference: str, lines: list[tuple[str, int]], buyer: dict[str, Any] | None = None
    ) -> httpx.Response:
        return await self.post(CREATE_ORDER, {"input": order_input(reference, lines, buyer)})


CREATE_ORDER = """
mutation($input: CreatePurchaseOrderInput!) {
  createPurchaseOrder(input: $input) {
    id clientReference status total createdAt
    buyer { name organizationId homeNetwork deliveryRegionCode }
    lines { lineNo productId umkmId quantity unitPrice amount }
  }
}
"""


def order_input(
    reference: str, lines: list[tuple[str, int]], buyer: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "clientReference": reference,
        "buyer": buyer
        or {
            "name": "Koperasi Konsumen Sejahtera",
            "organizationId": "sejuk:KOP-17",
            "homeNetwork": "sejuk",
            "deliveryRegionCode": "32.73",
        },
        "lines": [{"productId": pid, "quantity": qty} for pid, qty in lines],
    }


Launch = Callable[..., AbstractAsyncContextManager[Padi]]


@pytest.fixture
def launch(tmp_path: Path) -> Launch:
    """Start a PaDi with settings overrides: ``async with launch(**overrides) as padi``."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Padi]:
        overrides.setdefault(
            "oauth_clients", {CLIENT[0]: CLIENT[1], OTHER_CLIENT[0]: OTHER_CLIENT[1]}
        )
        settings = PadiSettings(data_dir=tmp_path, products=120, **overrides)
        app = create_app(settings)
        async with in_process(app) as http:
            unauthenticated = Padi(http, app, "")
            yield Padi(http, app, await unauthenticated.fetch_token())

    return start


@pytest.fixture
async def padi(launch: Launch) -> AsyncIterator[Padi]:
    async with launch() as running:
        yield running
