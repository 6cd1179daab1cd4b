"""Belanja bareng: group buys across regions."""

from __future__ import annotations

import strawberry


@strawberry.type
class GroupBuyQueries:
    """The group-buy root fields of Query."""


@strawberry.type
class GroupBuyMutations:
    """The group-buy root fields of Mutation."""


@strawberry.type
class GroupBuySubscriptions:
    """The group-buy root fields of Subscription."""
