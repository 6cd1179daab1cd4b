"""GraphiQL served from the hub's own files: no CDN, so it works without internet access.

The page loads React, ReactDOM and GraphiQL from ``hub/static/graphiql/`` (vendored npm
builds, see PROVENANCE.md there) under ``/graphiql/assets/``, plus ``graphiql-start.js``,
which reads ``?query=``, ``?variables=`` and ``?headers=`` (the demo's GraphiQL URL puts its
token in the headers) and points GraphiQL at this ``/graphql``. Nothing runs inline, so a
strict Content-Security-Policy holds.
"""

from __future__ import annotations

import html
from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

ASSETS = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql/assets"
# GraphiQL (emotion, CodeMirror) writes <style> elements and style attributes, so styles
# may be inline; scripts may not. Fonts are data: URLs inside graphiql.min.css.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)

# (title, query) pairs: what ``hub demo`` prints, and the first is GraphiQL's opening tab.
EXAMPLE_QUERIES: list[tuple[str, str]] = [
    (
        "Beras from every network at once, merged and ranked, with each network's status",
        """{
  search(text: "beras", first: 5) {
    edges { node { name price { amount currency } network { code } supplier { name nib } } }
    networks { code status latencyMs }
    facets { categories { value count } networks { value count } }
  }
}""",
    ),
    (
        "Halal-certified UMKM in Jawa Barat: one supplier per NIB, with each network's listing",
        """{
  suppliers(filter: { regionCodes: ["32"], certifications: [HALAL] }, first: 5) {
    edges { node { nib name scale listings { network { code } name } } }
    pageInfo { hasNextPage endCursor }
  }
}""",
    ),
    (
        "Consumer cooperatives from every network, and the networks themselves",
        """{
  cooperatives(filter: { type: KONSUMEN }, first: 5) {
    edges { node { name type network { code } region { code name } } }
  }
  networks { code name }
}""",
    ),
]


def default_query() -> str:
    """What GraphiQL's editor holds when the URL names no query."""
    title, query = EXAMPLE_QUERIES[0]
    return f"# Koperasi Hub: one GraphQL graph over the cooperative networks.\n# {title}\n{query}\n"


def graphiql_html() -> str:
    """The GraphiQL page: only the hub's own scripts and styles."""
    assets = ASSETS_PATH
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="{POLICY}">
  <meta name="referrer" content="no-referrer">
  <title>Koperasi Hub — GraphiQL</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="{assets}/graphiql.min.css">
  <link rel="stylesheet" href="{assets}/graphiql-page.css">
  <script src="{assets}/react.production.min.js" defer></script>
  <script src="{assets}/react-dom.production.min.js" defer></script>
  <script src="{assets}/graphiql.min.js" defer></script>
  <script src="{assets}/graphiql-start.js" defer></script>
</head>
<body>
  <div id="graphiql" data-default-query="{html.escape(default_query(), quote=True)}">Loading…</div>
</body>
</html>
"""


def routes(*, enabled: bool = True) -> list[BaseRoute]:
    """``/graphiql/assets/...``: the vendored files (none when GraphiQL is off)."""
    if not enabled:
        return []
    return [Mount(ASSETS_PATH, app=StaticFiles(directory=ASSETS), name="graphiql-assets")]
