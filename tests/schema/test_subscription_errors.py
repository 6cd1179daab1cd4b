"""Errors in subscription events carry codes too (no operation-level extension sees them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from federation.hub import Federation
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema import build_schema
from tests.schema.conftest import token_of


async def test_a_bad_subscription_argument_is_bad_user_input() -> None:
    subscribed = await build_schema().subscribe(
        'subscription { orderUpdates(orderId: "not-an-id") { status } }',
        # A token, since orders are an organisation's own: anonymously, UNAUTHENTICATED.
        context_value=Context(
            Federation([]), principal=token_of(to_global_id("Cooperative", "sejuk", "1"))
        ),
    )
    assert isinstance(subscribed, AsyncIterator)
    first: Any = await anext(subscribed)
    assert [e.extensions for e in first.errors] == [{"code": "BAD_USER_INPUT"}]
    assert "not an ID this API issued" in first.errors[0].message
