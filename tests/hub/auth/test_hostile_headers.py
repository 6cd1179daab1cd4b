"""Hostile ``Authorization`` headers over a real socket: a 401 in JSON, never a drop or a 500.

An error message that echoed the token's ``alg`` once put CR/LF into ``WWW-Authenticate``;
the HTTP server refused to send that header and dropped the connection, which only a
real socket shows (and a non-Latin-1 ``alg`` made the response itself fail: a 500).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from hub.app import create_app
from hub.settings import load_settings
from tests.hub.auth.conftest import b64
from tests.support import serving

QUERY = b'{"query": "{ __typename }"}'


def token_with_header(**header: Any) -> bytes:
    fields = {"alg": "RS256", "typ": "at+jwt", "kid": "k1", **header}
    segment = b64(json.dumps(fields).encode())
    return f"Bearer {segment}.{b64(b'{}')}.c2ln".encode()


HEADERS = {
    "CR/LF in alg": token_with_header(alg="RS256\r\nX-Injected: 1"),
    "NUL in alg": token_with_header(alg="RS256\x00"),
    "non-Latin-1 alg": token_with_header(alg="\u20ac\u4e2d"),
    "CR/LF in kid": token_with_header(kid="\r\nX-Injected: 1"),
    "UTF-8 bytes in the header": "Bearer \u20ac\u4e2d.x.y".encode(),
    "bytes above 0x7f": b"Bearer \x80\xff\xfe.\xc3\x28.\xa0",
}


@asynccontextmanager
async def served(tmp_path: Path) -> AsyncIterator[tuple[str, int]]:
    settings = load_settings(
        {
            "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3",
            "HUB_AUTH_KEYS_DIR": str(tmp_path / "keys"),
            "HUB_RATE_LIMIT": "0",
            "HUB_AUTH_FAILURE_BURST": "1000",  # this test is about the answer, not the throttle
        }
    )
    async with serving.served(create_app(settings)) as base:
        url = urlsplit(base)
        assert url.hostname is not None
        assert url.port is not None
        yield url.hostname, url.port


async def post_raw(host: str, port: int, authorization: bytes) -> tuple[int, dict[str, str], bytes]:
    """POST /graphql with ``authorization`` sent as raw bytes; status, headers, body."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nAccept: application/json\r\n"
            b"Authorization: " + authorization + b"\r\n"
            b"Content-Length: " + str(len(QUERY)).encode() + b"\r\n\r\n" + QUERY
        )
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 30)  # until the server closes
    finally:
        writer.close()
    assert answer, "the server dropped the connection without an answer"
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


async def test_any_authorization_bytes_get_a_401_in_json(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    answers = {}
    with caplog.at_level(logging.INFO):
        async with served(tmp_path) as (host, port):
            for case, header in HEADERS.items():
                answers[case] = await post_raw(host, port, header)
    for case, (status, headers, body) in answers.items():
        assert status == 401, (case, body)
        [error] = json.loads(body)["errors"]
        assert error["extensions"]["code"] == "UNAUTHENTICATED", case
        assert headers["www-authenticate"].startswith("Bearer"), case
        assert "Injected" not in body.decode("latin-1"), case
    refused = [r for r in caplog.records if r.name == "hub.auth" and "refused" in r.getMessage()]
    assert len(refused) == len(HEADERS)  # one line per refused token
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
