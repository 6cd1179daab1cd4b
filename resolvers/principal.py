"""Who a request speaks for: resolvers decide what it may see and change from this."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """An authenticated client: its id, its organisation (a global ID) and its scopes."""

    client_id: str
    organization: str | None
    scopes: frozenset[str]
    issuer: str

    def has_scope(self, scope: str) -> bool:
        """Whether the token grants ``scope``."""
        return scope in self.scopes
