"""``python -m networks all``: three real processes, seeded, reachable, stopped cleanly."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


def test_all_three_networks_start_answer_and_stop(tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "networks", "all",
        "--data-dir", str(tmp_path), "--products", "60",
        "--sejuk-port", "0", "--tangerang-port", "0", "--padi-port", "0",
    ]  # fmt: skip
    urls: dict[str, str] = {}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        deadline = time.monotonic() + 120
        try:
            while len(urls) < 3 and time.monotonic() < deadline:
                line = process.stdout.readline()
                if not line:
                    break
                found = re.match(r"\s+(sejuk|tangerang|padi)\s+(http://\S+)", line)
                if found:
                    urls[found[1]] = found[2]
            assert set(urls) == {"sejuk", "tangerang", "padi"}
            for network, url in urls.items():
                health = httpx.get(f"{url}/healthz", timeout=5)
                assert health.json() == {"status": "ok", "network": network}
            for rest in ("sejuk", "tangerang"):
                document = httpx.get(f"{urls[rest]}/openapi.json", timeout=5).json()
                assert document["openapi"] == "3.1.0"
            assert "type Query" in httpx.get(f"{urls['padi']}/schema.graphql", timeout=5).text
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
    assert code == 0
    assert len(list(tmp_path.glob("*.sqlite3"))) == 3
    for url in urls.values():
        try:
            httpx.get(f"{url}/healthz", timeout=2)
            stopped = False
        except httpx.ConnectError:
            stopped = True
        assert stopped, f"{url} still answers after the launcher stopped"
