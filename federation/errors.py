"""Errors the hub raises for what a caller asked, as opposed to what a network did.

    HubError
    ├── InputError        the request itself is wrong (BAD_USER_INPUT)
    ├── NotFoundError     a well-formed id that names nothing (NOT_FOUND)
    ├── ConflictError     contradicts what the hub holds, e.g. a reused key (CONFLICT)
    │   └── PriceChangedError  the live price rose above what the buyer was shown
    ├── UnauthenticatedError  the request needs a token and carried none (UNAUTHENTICATED)
    └── ForbiddenError    the token lacks a scope, or names another tenant (FORBIDDEN)

Network failures stay ``connectors.errors.ConnectorError``. The schema layer maps both
trees to ``extensions.code`` in one place (``schema/errors.py``).
"""

from __future__ import annotations


class HubError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(HubError):
    """Bad arguments: the message says what to change."""


class NotFoundError(HubError):
    pass


class ConflictError(HubError):
    """The request contradicts what the hub already holds (CONFLICT)."""


class PriceChangedError(ConflictError):
    """A product costs more now than the price the buyer was shown (CONFLICT, with the
    product and its new unit price, so the buyer can accept it and order again)."""

    def __init__(self, message: str, *, product: tuple[str, str], unit_price: int) -> None:
        super().__init__(message)
        self.product = product  # (network, the network's product id)
        self.unit_price = unit_price


class UnauthenticatedError(HubError):
    """The request needs a valid token and did not carry one (UNAUTHENTICATED)."""


class ForbiddenError(HubError):
    """The token is valid but may not do this: a scope is missing or the data is another
    organisation's (FORBIDDEN)."""
