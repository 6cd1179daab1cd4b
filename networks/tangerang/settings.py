"""Settings of the Tangerang network: the shared ones plus HMAC clients and streams."""

from __future__ import annotations

from dataclasses import dataclass, field

from networks.common.settings import NetworkSettings


def _default_clients() -> dict[str, str]:
    return {"koperasi-hub": "tangerang-dev-secret"}


@dataclass
class TangerangSettings(NetworkSettings):
    """How the Tangerang network runs; every field has a development default."""

    code: str = "tangerang"
    port: int = 8102
    # Client id -> shared secret for HMAC-SHA256 request signatures.
    hmac_clients: dict[str, str] = field(default_factory=_default_clients)
    replay_window_seconds: int = 300
    # Upper bound on remembered signatures; the oldest are forgotten first when full.
    replay_cache_size: int = 100_000
    # Seconds between simulated member purchases at cooperative shops; None turns it off.
    transaction_clock: float | None = None
    stream_keepalive_seconds: float = 15.0
    stream_queue_size: int = 256
