"""Content negotiation for /graphql: which media type a response uses, per ``Accept``.

Rules (GraphQL over HTTP, "Body" and "Legacy watershed"):

- the highest-``q`` supported type wins; on a tie, the one the client listed first;
- no ``Accept`` header at all: ``application/graphql-response+json`` (the spec's
  default from 2025-01-01);
- a wildcard (``*/*``, ``application/*``) alone: ``application/json``, what clients
  that send a wildcard (curl, legacy libraries) expect;
- nothing supported: ``None`` (the caller answers 406, as the spec recommends).
"""

from __future__ import annotations

from dataclasses import dataclass

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    q: float
    order: int


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header, malformed entries skipped."""
    ranges = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if 0 < q <= 1:
            ranges.append(MediaRange(media, q, order))
    return ranges


def _quality(ranges: list[MediaRange], media: str) -> tuple[float, int, int]:
    """How much the client wants ``media``: (q, specificity, -order), best match first."""
    kind = media.split("/")[0]
    best = (0.0, -1, 0)
    for entry in ranges:
        if entry.type == media:
            specificity = 2
        elif entry.type == f"{kind}/*":
            specificity = 1
        elif entry.type == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (entry.q, specificity, -entry.order)
    return best


def choose_response_type(accept: str | None) -> str | None:
    """The media type to answer a GraphQL request with, or None when none is acceptable."""
    if accept is None or not accept.strip():
        return GRAPHQL_RESPONSE_JSON
    ranges = parse_accept(accept)
    new = _quality(ranges, GRAPHQL_RESPONSE_JSON)
    legacy = _quality(ranges, JSON)
    if new[0] == 0 and legacy[0] == 0:
        return None
    # Exact mentions outrank wildcards at the same q; wildcards alone mean legacy JSON.
    if (new[0], new[1] == 2, new[2]) > (legacy[0], legacy[1] == 2, legacy[2]):
        return GRAPHQL_RESPONSE_JSON
    return JSON


def prefers_html(accept: str | None) -> bool:
    """Whether a browser asked for a page: ``text/html`` named and wanted over JSON."""
    if not accept:
        return False
    ranges = parse_accept(accept)
    html = _quality(ranges, HTML)
    if html[1] != 2:
        return False
    json_q = max(_quality(ranges, GRAPHQL_RESPONSE_JSON)[0], _quality(ranges, JSON)[0])
    return html[0] >= json_q
