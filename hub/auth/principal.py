"""Why an access token was refused; the ``Principal`` it yields lives in resolvers/."""

from __future__ import annotations

from resolvers.principal import Principal

__all__ = ["AuthError", "Principal"]


class AuthError(Exception):
    """An access token refused: ``reason`` is a short code, ``message`` says it in words.

    Both are fixed ASCII written by the hub, never text taken from the token or header:
    they may reach a response header.

    Reasons: missing, malformed, unsupported_algorithm, wrong_type, unknown_key,
    bad_signature, expired, not_yet_valid, wrong_issuer, wrong_audience, missing_claim,
    revoked.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
