"""Reading what a connector logged for one error: its request id names the log line."""

from __future__ import annotations

import pytest

from connectors.errors import ConnectorError


def logged_for(caplog: pytest.LogCaptureFixture, error: ConnectorError) -> str:
    """The one warning logged under ``error``'s request id (the network's own words)."""
    assert error.request_id is not None, f"{error!r} carries no request id"
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.levelname == "WARNING" and f"requestId={error.request_id}" in r.getMessage()
    ]
    assert len(lines) == 1, lines
    return lines[0]
