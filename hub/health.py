"""``/healthz`` (the process answers) and ``/readyz`` (which networks the hub can reach).

``/readyz`` asks every network at once through ``Federation.health()``, within the
fan-out deadline, and answers:

- ``200`` with ``"status": "ok"`` when every network answered;
- ``200`` with ``"status": "degraded"`` when some did: the hub still serves partial
  results, so it stays in rotation;
- ``503`` with ``"status": "unavailable"`` when none did (or none is configured).

The body lists each network's ``code``, ``status`` (OK / TIMEOUT / ERROR / SKIPPED),
``latencyMs`` and ``message``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from federation.fanout import NetworkStatus
from federation.hub import Federation
from hub.http import json_response


async def healthz(request: Request) -> Response:
    """The process is alive and serving HTTP."""
    return json_response({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Each network's reachability; 503 only when no network answers."""
    federation: Federation = request.app.state.federation
    health = await federation.health()
    networks = [
        {
            "code": outcome.code,
            "status": outcome.status.value,
            "latencyMs": round(outcome.latency_ms, 1),
            "message": outcome.message,
        }
        for outcome in health.outcomes
    ]
    up = sum(outcome.status is NetworkStatus.OK for outcome in health.outcomes)
    if up == 0:
        status, code = "unavailable", 503
    elif up < len(networks):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return json_response({"status": status, "networks": networks}, status=code)
