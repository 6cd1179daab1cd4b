"""Serving the dashboard: one HTML page and its script, both static.

The page holds no data: its script asks ``/graphql`` with the user's own token (taken from
the URL fragment, which never reaches a server log, and kept in sessionStorage), so the
dashboard sees exactly what that token may see. A strict Content-Security-Policy allows
only the hub's own script and requests.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

STATIC = Path(__file__).parent / "static"
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
FILES = {
    "/dashboard": ("dashboard.html", "text/html; charset=utf-8"),
    "/dashboard/dashboard.js": ("dashboard.js", "text/javascript; charset=utf-8"),
    "/dashboard/dashboard.css": ("dashboard.css", "text/css; charset=utf-8"),
}


async def _serve(request: Request) -> Response:
    name, media_type = FILES[request.url.path]
    return FileResponse(
        STATIC / name,
        media_type=media_type,
        headers={
            "Content-Security-Policy": POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
        },
    )


def routes() -> list[Route]:
    """The dashboard page and its assets."""
    return [Route(path, _serve, methods=["GET"]) for path in FILES]
