"""Errors in subscription events carry codes too (no operation-level extension sees them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from federation.hub import Federation
from resolvers.context import Context
from schema import build_schema


async def test_a_bad_subscription_argument_is_bad_user_input() -> None:
    subscribed = await build_schema().subscribe(
        'subscription { orderUpdates(orderId: "not-an-id") { status } }',
        context_value=Context(Federation([])),
    )
    assert isinstance(subscribed, AsyncIterator)
    first: Any = await anext(subscribed)
    assert [e.extensions for e in first.errors] == [{"code": "BAD_USER_INPUT"}]
    assert "not an ID this API issued" in first.errors[0].message
