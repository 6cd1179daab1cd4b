"""Two ``hub serve`` processes on one Redis count a client's requests in one bucket."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.hub.test_rate_limit import QUERY, assert_rate_limited, limited

READY_LINE = "Koperasi Hub serving "


@contextmanager
def hub_process(folder: Path, env: dict[str, str]) -> Iterator[str]:
    """``hub serve --port 0`` with its own database; yields its base URL once it serves."""
    folder.mkdir()
    clean = {key: value for key, value in os.environ.items() if not key.startswith("HUB_")}
    clean.update(
        env,
        PYTHONUNBUFFERED="1",
        HUB_DATABASE_URL=f"sqlite+aiosqlite:///{folder}/hub.sqlite3",
        HUB_AUTH_KEYS_DIR=str(folder / "keys"),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--port", "0"],
        env=clean,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the hub prints it once it accepts requests
        assert line.startswith(READY_LINE), f"the hub did not start: {line!r}"
        yield line.removeprefix(READY_LINE).strip().removesuffix("/graphql")
    finally:
        process.terminate()
        process.wait(timeout=15)
        process.stdout.close()


@pytest.mark.redis
def test_two_hub_processes_share_one_bucket(tmp_path: Path, redis_env: dict[str, str]) -> None:
    env = limited(rate="0.1", burst="4", HUB_AUTH_REQUIRED="false", **redis_env)
    with ExitStack() as stack:
        one = stack.enter_context(hub_process(tmp_path / "one", env))
        two = stack.enter_context(hub_process(tmp_path / "two", env))
        with httpx.Client(timeout=10) as client:
            for url in (one, two, one, two):
                assert client.post(f"{url}/graphql", json=QUERY).status_code == 200
            # Each process alone has let two requests through; together they spent the burst.
            assert_rate_limited(client.post(f"{two}/graphql", json=QUERY))
            assert_rate_limited(client.post(f"{one}/graphql", json=QUERY))


def test_without_redis_each_process_keeps_its_own_bucket(tmp_path: Path) -> None:
    env = limited(rate="0.1", burst="4", HUB_AUTH_REQUIRED="false")
    with ExitStack() as stack:
        one = stack.enter_context(hub_process(tmp_path / "one", env))
        two = stack.enter_context(hub_process(tmp_path / "two", env))
        with httpx.Client(timeout=10) as client:
            for url in (one, two, one, two, one, two):
                assert client.post(f"{url}/graphql", json=QUERY).status_code == 200
