"""``hub demo``: the three reference networks as child processes, and the hub over them."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from dataclasses import dataclass, field, replace
from pathlib import Path

from hub.app import create_app, served_at
from hub.demo_access import DemoAccess, demo_access
from hub.graphiql import EXAMPLE_QUERIES
from hub.progress import SyncBars
from hub.server import PortTakenError, StopSignals, bind, serve
from hub.settings import Settings
from networks.launcher import DEFAULT_PORTS, Launcher, LaunchOptions


@dataclass
class DemoOptions:
    """What ``hub demo`` starts: the hub's address and the networks' data and ports."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("var/networks")
    products: int = 300
    seed: int = 2026
    # Seconds between the networks' order clock ticks (each moves every open order one
    # step: CONFIRMED, SHIPPED, DELIVERED), so orderUpdates changes; None: only on request.
    order_clock: float | None = None
    network_ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))

    def launch_options(self) -> LaunchOptions:
        """How the demo starts the reference networks."""
        return LaunchOptions(
            host="127.0.0.1",
            data_dir=self.data_dir,
            products=self.products,
            seed=self.seed,
            order_clock=self.order_clock,
            ports=dict(self.network_ports),
        )


def run_demo(settings: Settings, options: DemoOptions) -> int:
    """Run the demo until Ctrl-C or SIGTERM; the process exit code."""
    try:
        sock = bind(options.host, options.port)
    except PortTakenError as error:
        print(f"hub demo: {error}", file=sys.stderr)
        return 2
    launcher = Launcher(options.launch_options())
    signals = StopSignals()
    with sock, signals.installed():
        try:
            print("Starting the reference networks (seeding on first run) ...", flush=True)
            running = launcher.start()
            urls = {net.code: net.url for net in running}
            # The demo alone runs open (unless HUB_AUTH_REQUIRED=true says otherwise).
            demo_settings = served_at(
                replace(
                    settings.with_network_urls(urls),
                    environment="development",
                    graphiql=True,
                    auth_required=settings.auth_required is True,
                ),
                sock,
            )
            access = asyncio.run(demo_access(demo_settings))

            async def watch() -> str | None:
                while True:
                    for net in running:
                        if net.process.poll() is not None:
                            code = net.process.returncode
                            return f"network {net.code} exited with code {code}"
                    await asyncio.sleep(0.2)

            with signals.quiet():
                reason = asyncio.run(
                    serve(
                        create_app(demo_settings, sync_progress=SyncBars()),
                        sock,
                        on_ready=lambda url: _banner(
                            url, urls, access, demo_settings.auth_required_enabled, options
                        ),
                        watch=watch,
                        header_timeout=demo_settings.header_timeout,
                        body_timeout=demo_settings.body_timeout,
                        max_message_bytes=demo_settings.max_body_bytes,
                    )
                )
        except KeyboardInterrupt:
            reason = None
        finally:
            print("Stopping the networks ...", flush=True)
            launcher.stop()
    if reason is not None:
        print(f"hub demo: {reason}", file=sys.stderr)
        return 1
    print("Stopped.", flush=True)
    return 0


def _banner(
    url: str,
    networks: dict[str, str],
    access: DemoAccess,
    auth_required: bool,
    options: DemoOptions,
) -> None:
    lines = ["", "Koperasi Hub is up. Networks:"]
    lines += [f"  {code:<10} {base}" for code, base in networks.items()]
    lines += [
        "",
        f"GraphiQL: {url}/graphql",
        (
            "  This demo runs open: a request without a token sees the public catalogue "
            "(organisations' orders, RFQs and spend need a token). `hub serve` requires one."
            if not auth_required
            else "  This demo requires a token, as `hub serve` does."
        ),
        f"GraphiQL with a demo token (every scope, as {access.organization}):",
        f"  {access.graphiql_url(url)}",
        f"Demo client for POST /oauth/token: {access.client_id} / {access.secret}",
        "",
        "BUMN procurement dashboard (spend on UMKM, open RFQs) as the demo BUMN:",
        f"  {access.dashboard_url(url)}",
        "",
        (
            f"Order clock: every {options.order_clock:g} s the networks move each open order "
            "one step (CONFIRMED, SHIPPED, DELIVERED); watch it with orderUpdates."
            if options.order_clock
            else "Orders stay where they are; `hub demo --order-clock 10` moves them along."
        ),
        "",
        "Try these queries:",
    ]
    for title, query in EXAMPLE_QUERIES:
        lines += [f"  # {title}", textwrap.indent(query, "  "), ""]
    lines.append("Ctrl-C stops the hub and the networks.")
    print("\n".join(lines), flush=True)
