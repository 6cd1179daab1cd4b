"""SEJUK's settings: the shared network settings plus its partner API keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from networks.common.settings import NetworkSettings

DEFAULT_PORT = 8101


def _default_keys() -> dict[str, str]:
    return {"sejuk-dev-key": "koperasi-hub"}


@dataclass
class SejukSettings(NetworkSettings):
    """How SEJUK runs; ``api_keys`` maps each partner's API key to the partner's name."""

    code: str = "sejuk"
    port: int = DEFAULT_PORT
    api_keys: dict[str, str] = field(default_factory=_default_keys)
