"""Connectors by kind: the hub's settings name a kind, this builds the adapter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from connectors.base import Connector


@dataclass(frozen=True)
class ConnectorConfig:
    """How to reach one network: its code in the graph, its API kind, where, and as whom."""

    code: str
    kind: str  # sejuk | tangerang | padi
    base_url: str
    credentials: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 2.0


def build_connector(
    config: ConnectorConfig, transport: httpx.AsyncBaseTransport | None = None
) -> Connector:
    """The adapter for ``config.kind``; ``transport`` lets tests count or reroute calls."""
    if config.kind == "sejuk":
        from connectors.sejuk import SejukConnector

        return SejukConnector(config, transport=transport)
    if config.kind == "tangerang":
        from connectors.tangerang import TangerangConnector

        return TangerangConnector(config, transport=transport)
    if config.kind == "padi":
        from connectors.padi import PadiConnector

        return PadiConnector(config, transport=transport)
    raise ValueError(f"unknown network kind {config.kind!r}: expected sejuk, tangerang or padi")
