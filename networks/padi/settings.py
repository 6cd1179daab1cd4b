"""PaDi's own settings on top of the ones every network shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from networks.common.settings import NetworkSettings


def _default_clients() -> dict[str, str]:
    return {"koperasi-hub": "padi-dev-secret"}


@dataclass
class PadiSettings(NetworkSettings):
    """How PaDi runs: OAuth clients, token lifetime and the per-client rate limit."""

    code: str = "padi"
    port: int = 8103
    oauth_clients: dict[str, str] = field(default_factory=_default_clients)
    token_ttl_seconds: int = 300
    token_issuer: str = "https://padi-umkm.example.id"
    token_audience: str = "padi-graphql"
    rate_limit_per_second: float = 20.0
    rate_limit_burst: int = 40
    # TLS ends at the gateway in front of PaDi; plain HTTP is accepted behind it.
    allow_plain_http: bool = True
