"""HMAC-signed requests: every way a signature can be refused, and the helper itself."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx

from networks.tangerang.auth import ReplayCache
from networks.tangerang.signing import sign, signed_headers, string_to_sign

CLIENT_ID = "koperasi-hub"
SECRET = "tangerang-dev-secret"
PATH = "/v2/cooperatives?limit=2"


def _code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def test_signature_matches_the_documented_scheme() -> None:
    body = b'{"ids": ["itm_000001"]}'
    nonce = "n0nce-0123456789ab"
    expected_text = (
        f"POST\n/v2/catalog/items:batchGet\n1700000000\n{nonce}\n"
        + hashlib.sha256(body).hexdigest()
    )
    path = "/v2/catalog/items:batchGet"
    assert string_to_sign("post", path, 1700000000, nonce, body) == expected_text
    expected = hmac.new(SECRET.encode(), expected_text.encode(), hashlib.sha256).hexdigest()
    assert sign(SECRET, "POST", path, 1700000000, nonce, body) == expected


async def test_signed_request_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get(
        PATH, auth=None, headers=signed_headers(CLIENT_ID, SECRET, "GET", PATH)
    )
    assert response.status_code == 200
    assert len(response.json()["items"]) == 2


async def test_missing_headers(client: httpx.AsyncClient) -> None:
    response = await client.get(PATH, auth=None)
    assert response.status_code == 401
    assert _code(response) == "missing_auth_headers"
    assert {d["header"] for d in response.json()["error"]["details"]} == {
        "X-Client-Id",
        "X-Timestamp",
        "X-Nonce",
        "X-Signature",
    }
    headers = signed_headers(CLIENT_ID, SECRET, "GET", PATH)
    del headers["X-Signature"]
    response = await client.get(PATH, auth=None, headers=headers)
    assert _code(response) == "missing_auth_headers"


async def test_unknown_client(client: httpx.AsyncClient) -> None:
    headers = signed_headers("stranger", SECRET, "GET", PATH)
    response = await client.get(PATH, auth=None, headers=headers)
    assert response.status_code == 401
    assert _code(response) == "unknown_client"


async def test_bad_signature(client: httpx.AsyncClient) -> None:
    headers = signed_headers(CLIENT_ID, "wrong-secret", "GET", PATH)
    response = await client.get(PATH, auth=None, headers=headers)
    assert response.status_code == 401
    assert _code(response) == "invalid_signature"


async def test_signature_covers_query_and_body(client: httpx.AsyncClient) -> None:
    headers = signed_headers(CLIENT_ID, SECRET, "GET", PATH)
    response = await client.get("/v2/cooperatives?limit=3", auth=None, headers=headers)
    assert _code(response) == "invalid_signature"
    signed_body = b'{"ids": ["coop_000001"]}'
    headers = signed_headers(CLIENT_ID, SECRET, "POST", "/v2/cooperatives:batchGet", signed_body)
    response = await client.post(
        "/v2/cooperatives:batchGet",
        auth=httpx.Auth(),
        headers=headers,
        content=b'{"ids": ["coop_000002"]}',
    )
    assert _code(response) == "invalid_signature"


async def test_timestamp_outside_window(client: httpx.AsyncClient) -> None:
    now = int(time.time())
    for stamp in (now - 301 - 5, now + 301 + 5):
        headers = signed_headers(CLIENT_ID, SECRET, "GET", PATH, timestamp=stamp)
        response = await client.get(PATH, auth=None, headers=headers)
        assert response.status_code == 401
        assert _code(response) == "timestamp_out_of_window"


async def test_timestamp_not_a_number(client: httpx.AsyncClient) -> None:
    headers = signed_headers(CLIENT_ID, SECRET, "GET", PATH)
    headers["X-Timestamp"] = "yesterday"
    response = await client.get(PATH, auth=None, headers=headers)
    assert response.status_code == 401
    assert _code(response) == "invalid_timestamp"


async def test_missing_or_malformed_nonce_is_refused(client: httpx.AsyncClient) -> None:
    headers = signed_headers(CLIENT_ID, SECRET, "GET", PATH, nonce="short")
    response = await client.get(PATH, auth=None, headers=headers)
    assert _code(response) == "invalid_nonce"
    headers = signed_headers(CLIENT_ID, SECRET, "GET", PATH)
    del headers["X-Nonce"]
    response = await client.get(PATH, auth=None, headers=headers)
    assert _code(response) == "missing_auth_headers"


async def test_identical_requests_in_the_same_second_both_pass(
    client: httpx.AsyncClient,
) -> None:
    stamp = int(time.time())
    first = signed_headers(CLIENT_ID, SECRET, "GET", PATH, timestamp=stamp)
    second = signed_headers(CLIENT_ID, SECRET, "GET", PATH, timestamp=stamp)
    assert (await client.get(PATH, auth=None, headers=first)).status_code == 200
    assert (await client.get(PATH, auth=None, headers=second)).status_code == 200


async def test_replayed_signature_is_refused(client: httpx.AsyncClient) -> None:
    headers = signed_headers(CLIENT_ID, SECRET, "GET", PATH)
    first = await client.get(PATH, auth=None, headers=headers)
    again = await client.get(PATH, auth=None, headers=headers)
    assert first.status_code == 200
    assert again.status_code == 401
    assert _code(again) == "replayed_request"
    assert again.headers["WWW-Authenticate"] == "HMAC-SHA256"


async def test_helper_never_reuses_a_signature(client: httpx.AsyncClient) -> None:
    responses = [await client.get(PATH) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]


def test_replay_cache_forgets_after_the_window_and_stays_bounded() -> None:
    cache = ReplayCache(max_entries=3)
    assert cache.check_and_remember("a", expires_at=100, now=50)
    assert not cache.check_and_remember("a", expires_at=100, now=60)
    assert cache.check_and_remember("a", expires_at=200, now=101)
    for name in "bcdef":
        cache.check_and_remember(name, expires_at=300, now=102)
    assert len(cache) == 3


async def test_admin_endpoints_need_the_admin_token(client: httpx.AsyncClient) -> None:
    response = await client.post("/admin/orders/ord_000001:advance")
    assert response.status_code == 401
    assert _code(response) == "unauthorized"
    response = await client.delete(
        "/admin/items/itm_000001", headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401
