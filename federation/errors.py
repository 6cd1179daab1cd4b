"""Errors the hub raises for what a caller asked, as opposed to what a network did.

    HubError
    ├── InputError        the request itself is wrong (BAD_USER_INPUT)
    ├── NotFoundError     a well-formed id that names nothing (NOT_FOUND)
    └── ConflictError     contradicts what the hub holds, e.g. a reused key (CONFLICT)

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
