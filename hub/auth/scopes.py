"""The scopes a client may hold and a token may carry."""

from __future__ import annotations

from collections.abc import Iterable

SCOPES: tuple[str, ...] = (
    "catalog:read",
    "orders:read",
    "orders:write",
    "groupbuy:write",
    "procurement:read",
    "procurement:write",
    "analytics:read",
)


class ScopeError(ValueError):
    """A scope that the hub does not define."""


def parse_scopes(text: str | Iterable[str]) -> frozenset[str]:
    """Scopes from a space- or comma-separated string (or an iterable); unknown ones raise."""
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    unknown = sorted(set(items) - set(SCOPES))
    if unknown:
        raise ScopeError(f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    return frozenset(items)


def scope_text(scopes: Iterable[str]) -> str:
    """Scopes as OAuth writes them: space-separated, in the order of ``SCOPES``."""
    held = set(scopes)
    return " ".join(scope for scope in SCOPES if scope in held)
