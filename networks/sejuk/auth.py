"""Partner authentication: the ``X-API-Key`` header names the partner."""

from __future__ import annotations

import hmac

from starlette.requests import Request

from networks.sejuk.errors import galat
from networks.sejuk.settings import SejukSettings

API_KEY_HEADER = "X-API-Key"


def settings_of(request: Request) -> SejukSettings:
    """The running network's settings."""
    settings: SejukSettings = request.app.state.settings
    return settings


def partner(request: Request) -> str:
    """The partner whose key the request carries; 401 when it is missing or unknown."""
    supplied = request.headers.get(API_KEY_HEADER)
    if not supplied:
        raise galat(401, "KUNCI_API_HILANG", f"header {API_KEY_HEADER} wajib diisi")
    found: str | None = None
    # Compare against every key so the time taken says nothing about which one is close.
    for key, name in settings_of(request).api_keys.items():
        if hmac.compare_digest(key.encode(), supplied.encode()):
            found = name
    if found is None:
        raise galat(401, "KUNCI_API_TIDAK_DIKENAL", "kunci API tidak dikenal")
    return found
