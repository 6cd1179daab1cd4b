"""What every resolver receives: the federation and this request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from federation.hub import Federation
from federation.loaders import Loaders


@dataclass
class Context:
    """Per-request context; loaders are new for every request (their caches too)."""

    federation: Federation
    request: Any = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.federation)
