"""Start the reference networks as child processes and stop them together.

Each network runs in its own process, as the independent system it stands for. The demo
and the end-to-end tests use this; ``python -m networks all`` is its command line.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

DEFAULT_PORTS: dict[str, int] = {"sejuk": 8101, "tangerang": 8102, "padi": 8103}


@dataclass(frozen=True)
class NetworkProcess:
    code: str
    url: str
    process: subprocess.Popen[bytes]


@dataclass
class LaunchOptions:
    host: str = "127.0.0.1"
    data_dir: Path = Path("var/networks")
    products: int = 300
    seed: int = 2026
    reset: bool = False
    order_clock: float | None = None
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    extra_args: tuple[str, ...] = ()


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
    return port


class Launcher:
    """Starts every network, waits until each answers ``/healthz``, stops them all."""

    def __init__(self, options: LaunchOptions) -> None:
        self.options = options
        self.running: list[NetworkProcess] = []

    def start(self, ready_timeout: float = 180.0) -> list[NetworkProcess]:
        """Start all networks (a taken default port is swapped for a free one)."""
        opts = self.options
        for code, wanted in opts.ports.items():
            port = wanted if wanted and port_is_free(opts.host, wanted) else free_port(opts.host)
            args = [
                sys.executable, "-m", f"networks.{code}",
                "--host", opts.host, "--port", str(port),
                "--data-dir", str(opts.data_dir),
                "--products", str(opts.products), "--seed", str(opts.seed),
                *opts.extra_args,
            ]  # fmt: skip
            if opts.reset:
                args.append("--reset")
            if opts.order_clock:
                args += ["--order-clock", str(opts.order_clock)]
            process = subprocess.Popen(args, env={**os.environ, "PYTHONUNBUFFERED": "1"})
            self.running.append(NetworkProcess(code, f"http://{opts.host}:{port}", process))
        try:
            self._wait_ready(ready_timeout)
        except BaseException:
            self.stop()
            raise
        return self.running

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = list(self.running)
        with httpx.Client(timeout=1.0) as client:
            while pending:
                for net in list(pending):
                    if net.process.poll() is not None:
                        raise RuntimeError(f"{net.code} exited with code {net.process.returncode}")
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(f"{net.url}/healthz").status_code == 200:
                            pending.remove(net)
                if pending and time.monotonic() > deadline:
                    names = ", ".join(n.code for n in pending)
                    raise TimeoutError(f"not ready after {timeout:.0f} s: {names}")
                time.sleep(0.1)

    def wait(self, poll: float = 0.5) -> NetworkProcess:
        """Block until some network exits; returns it."""
        while True:
            for net in self.running:
                if net.process.poll() is not None:
                    return net
            time.sleep(poll)

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM every network, then SIGKILL whatever is still up after ``grace``."""
        for net in self.running:
            if net.process.poll() is None:
                net.process.terminate()
        deadline = time.monotonic() + grace
        for net in self.running:
            try:
                net.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                net.process.kill()
                net.process.wait()
        self.running.clear()
