"""``Refusal``: an operation the hub will not run, whatever transport carried it.

Every step of the request pipeline (``hub.pipeline``) refuses by raising one. It carries
what the client is told (a code and a short message) and, where it applies, when to try
again; the transports frame it: ``hub.http`` as an HTTP status (``status_of``) with a
GraphQL-shaped body, ``hub.websocket`` as an ``error`` message for that operation.
Messages are plain ASCII written by the hub, never text taken from the request.
"""

from __future__ import annotations

UNAUTHENTICATED = "UNAUTHENTICATED"
RATE_LIMITED = "RATE_LIMITED"
OVERLOADED = "OVERLOADED"

# Codes answered with their own HTTP status; every other refusal is a GraphQL request
# error (400 under application/graphql-response+json, 200 under application/json).
_STATUS = {UNAUTHENTICATED: 401, RATE_LIMITED: 429, OVERLOADED: 503}


class Refusal(Exception):
    """An operation refused before it ran: a code, a message, and seconds to wait."""

    def __init__(self, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


def status_of(code: str) -> int | None:
    """The HTTP status a refusal with ``code`` is answered with; None for a request error."""
    return _STATUS.get(code)
