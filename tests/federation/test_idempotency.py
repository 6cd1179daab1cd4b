"""Idempotency keys: what a key may be, and when two requests count as the same."""

from __future__ import annotations

import pytest

from federation.errors import InputError
from federation.idempotency import RequestKey, check_key, fingerprint, key_columns, keyed


@pytest.mark.parametrize("key", ["", "   ", "k" * 201])
def test_blank_or_overlong_keys_are_refused_naming_the_record(key: str) -> None:
    with pytest.raises(InputError, match="1-200 characters: one per RFQ"):
        check_key(key, "RFQ")


def test_keys_up_to_the_limit_pass() -> None:
    check_key("k", "order")
    check_key("k" * 200, "order")


def test_the_same_content_has_the_same_fingerprint_whatever_the_key_order() -> None:
    assert fingerprint({"a": 1, "b": [2, 3]}) == fingerprint({"b": [2, 3], "a": 1})
    assert fingerprint({"a": 1, "b": [2, 3]}) != fingerprint({"a": 1, "b": [3, 2]})


def test_a_request_without_a_key_writes_no_key() -> None:
    assert keyed(None, lambda: pytest.fail("no fingerprint without a key")) is None
    assert key_columns(None) == {"idempotency_key": None, "request_hash": None}
    key = keyed("rapat-1", lambda: "abc")
    assert key == RequestKey("rapat-1", "abc")
    assert key_columns(key) == {"idempotency_key": "rapat-1", "request_hash": "abc"}
