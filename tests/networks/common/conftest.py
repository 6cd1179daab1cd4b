"""A tiny network built from the shared toolkit, to test the toolkit without a real network."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, insert, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from networks.common.app import create_network_app, database
from networks.common.errors import ApiError
from networks.common.settings import NetworkSettings

metadata = MetaData()
things = Table("things", metadata, Column("id", Integer, primary_key=True), Column("name", String))


def seed(conn: Connection) -> None:
    conn.execute(insert(things), [{"id": i, "name": f"thing {i}"} for i in range(1, 51)])


async def list_things(request: Request) -> Response:
    async with database(request).read() as session:
        rows = (await session.execute(select(things.c.name).order_by(things.c.id))).scalars()
        return JSONResponse({"things": list(rows)})


async def stream(_: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(3):
            yield f"chunk {i}\n".encode()

    return StreamingResponse(chunks(), media_type="text/plain")


async def render(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse({"code": exc.code, "message": exc.message}, status_code=exc.status)


def make_app(tmp_path: Path, **overrides: object) -> Starlette:
    settings = NetworkSettings(code="toy", data_dir=tmp_path, **overrides)  # type: ignore[arg-type]
    return create_network_app(
        settings,
        routes=[Route("/things", list_things), Route("/stream", stream)],
        metadata=metadata,
        schema_version=1,
        seed=seed,
        exception_handlers={ApiError: render},
    )


@pytest.fixture
def toy_app(tmp_path: Path) -> Starlette:
    return make_app(tmp_path)


ADMIN = {"authorization": "Bearer admin-dev-token"}
