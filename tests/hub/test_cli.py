"""The ``hub`` command: schema, settings errors, taken ports, and a real ``hub demo``."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import unquote

import httpx
import pytest

from hub.cli import main
from schema import build_schema

HUB = Path(sys.executable).parent / "hub"


def test_schema_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out == build_schema().as_str() + "\n"
    assert "type Query" in out


def test_bad_settings_fail_fast(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_DEADLINE", "soon")
    assert main(["serve"]) == 2
    assert "HUB_DEADLINE='soon': expected a number of seconds" in capsys.readouterr().err


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_taken_port_is_said_clearly(
    command: str, taken_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--port", str(taken_port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{taken_port}" in err
    assert "--port 0" in err


def _reader(stream: object, lines: Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


def _listening(url: str) -> bool:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, int(port))) == 0


def test_demo_serves_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    args = [
        str(HUB), "demo", "--port", "0",
        "--sejuk-port", "0", "--tangerang-port", "0", "--padi-port", "0",
        "--data-dir", str(tmp_path), "--products", "60",
    ]  # fmt: skip
    database = f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "HUB_DATABASE_URL": database,
        "HUB_AUTH_KEYS_DIR": str(tmp_path / "keys"),
    }
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: Queue[str] = Queue()
    reader = threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True)
    reader.start()
    seen: list[str] = []
    graphiql = None
    try:
        deadline = time.monotonic() + 120
        # Up to the line that announces the demo token; the token's URL comes next.
        while not seen or "demo token" not in seen[-1]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no GraphiQL URL within 120 s:\n" + "".join(seen)
            try:
                line = lines.get(timeout=min(remaining, 1.0))
            except Empty:
                assert process.poll() is None, "hub demo exited:\n" + "".join(seen)
                continue
            seen.append(line)
            if match := re.match(r"GraphiQL: (http://\S+)/graphql", line):
                graphiql = match.group(1)
        token_line = lines.get(timeout=10)
        seen.append(token_line)
        assert graphiql is not None, "".join(seen)
        network_urls = re.findall(
            r"^\s+(?:sejuk|tangerang|padi)\s+(http://\S+)", "".join(seen), re.M
        )
        assert len(network_urls) == 3
        response = httpx.post(f"{graphiql}/graphql", json={"query": "{ networks { code } }"})
        assert response.status_code == 200, response.text
        codes = [n["code"] for n in response.json()["data"]["networks"]]
        assert codes == ["sejuk", "tangerang", "padi"]
        assert httpx.get(f"{graphiql}/readyz").json()["status"] == "ok"
        # The demo token in GraphiQL's URL is a real one: the hub accepts it.
        headers = json.loads(unquote(token_line.strip().split("?headers=", 1)[1]))
        with_token = httpx.post(
            f"{graphiql}/graphql", json={"query": "{ networks { code } }"}, headers=headers
        )
        assert with_token.status_code == 200, with_token.text
        assert "errors" not in with_token.json()
        forged = httpx.post(
            f"{graphiql}/graphql",
            json={"query": "{ networks { code } }"},
            headers={"Authorization": headers["Authorization"][:-4] + "abcd"},
        )
        assert forged.status_code == 401

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, "".join(seen)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        assert process.stdout is not None
        process.stdout.close()
    for url in [graphiql, *network_urls]:
        assert not _listening(url), f"{url} still listening"
