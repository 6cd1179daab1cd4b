"""The app as a whole: health, OpenAPI, faults, error style and a deterministic seed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from networks.common.db import prepare
from networks.tangerang import catalog
from networks.tangerang.app import create_app
from networks.tangerang.broadcast import Broadcaster, Event
from networks.tangerang.schemas import Transaction
from networks.tangerang.seed import make_seed
from networks.tangerang.settings import TangerangSettings
from networks.tangerang.signing import HmacAuth
from networks.tangerang.tables import metadata
from networks.testing import in_process

ADMIN = {"Authorization": "Bearer admin-dev-token"}


async def test_health_and_openapi(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz", auth=None)
    assert health.json() == {"status": "ok", "network": "tangerang"}
    document = (await client.get("/openapi.json", auth=None)).json()
    assert document["openapi"] == "3.1.0"
    for path in (
        "/v2/catalog/items:batchGet",
        "/v2/catalog/changes",
        "/v2/orders",
        "/v2/transactions/stream",
        "/v2/members/{id}/bills",
    ):
        assert path in document["paths"], path
    create = document["paths"]["/v2/orders"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in create["parameters"])
    assert "ErrorResponse" in document["components"]["schemas"]


async def test_unknown_routes_and_methods_use_the_error_style(client: httpx.AsyncClient) -> None:
    missing = await client.get("/v3/nothing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = await client.delete("/v2/cooperatives")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


async def test_faults_apply_and_can_be_cleared(client: httpx.AsyncClient) -> None:
    response = await client.put("/admin/faults", json={"error_rate": 1}, headers=ADMIN)
    assert response.status_code == 200
    assert (await client.get("/v2/catalog/items")).status_code == 500
    assert (await client.delete("/admin/faults", headers=ADMIN)).status_code == 200
    assert (await client.get("/v2/catalog/items")).status_code == 200


async def test_unexpected_errors_are_clean_json(
    settings: TangerangSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog, "item_view", explode)
    async with in_process(create_app(settings), raise_app_exceptions=False) as client:
        client.auth = HmacAuth("koperasi-hub", "tangerang-dev-secret")
        response = await client.get("/v2/catalog/items/itm_000001")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "boom" not in response.text


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY 1").fetchall() for n in names}


def test_same_seed_same_database(tmp_path: Path) -> None:
    dumps = []
    for name in ("a", "b"):
        settings = TangerangSettings(data_dir=tmp_path / name, products=120)
        assert prepare(settings.database, metadata, "m", make_seed(settings), False)
        dumps.append(_dump(settings.database))
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["items"]) == 120
    other = TangerangSettings(data_dir=tmp_path / "c", products=120, seed=7)
    prepare(other.database, metadata, "m", make_seed(other), False)
    assert _dump(other.database)["items"] != dumps[0]["items"]


async def test_slow_subscribers_are_bounded_and_flagged() -> None:
    broadcaster = Broadcaster(queue_size=2)
    sample = Transaction(
        id="txn_000001",
        seq=1,
        cooperative_id="coop_000001",
        member_id=None,
        order_id=None,
        bill_id=None,
        type="adjustment",
        amount="1.00",
        description="x",
        occurred_at="2026-01-01T00:00:00Z",
    )
    with broadcaster.subscribe("koperasi-hub", None) as subscription:
        async with broadcaster.publishing() as outbox:
            outbox.extend(Event(sample) for _ in range(5))
        assert subscription.queue.qsize() == 2
        assert subscription.overflowed
        assert broadcaster.subscriber_count == 1
    assert broadcaster.subscriber_count == 0
    with broadcaster.subscribe("koperasi-hub", None) as subscription:
        with pytest.raises(RuntimeError, match="rolled back"):
            await _publish_then_fail(broadcaster, Event(sample))
        assert subscription.queue.empty()


async def _publish_then_fail(broadcaster: Broadcaster, event: Event) -> None:
    async with broadcaster.publishing() as outbox:
        outbox.append(event)
        raise RuntimeError("rolled back")
