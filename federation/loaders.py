"""DataLoaders, one set per request: nested fields cost one batched call per network."""

from __future__ import annotations

from federation.hub import Federation


class Loaders:
    """The request's loaders; created inside the running event loop, per request."""

    def __init__(self, federation: Federation) -> None:
        self.federation = federation
