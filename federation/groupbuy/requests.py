"""What callers ask of group buys: opening one, and filtering the list."""

from __future__ import annotations

from dataclasses import dataclass

from federation.groupbuy.model import GroupBuyState, Key
from federation.idempotency import RequestKey, fingerprint, keyed


@dataclass(frozen=True)
class OpenGroupBuyRequest:
    coordinator: Key  # (network, the network's cooperative id)
    coordinator_label: str  # as the caller wrote it: messages, and the order's buyer id
    product: Key  # (network, the network's product id)
    product_label: str
    closes_at: float  # epoch seconds
    target_quantity: int | None = None
    min_quantity: int = 1  # per participant
    partners_only: bool = False  # only the supplier's JUK partner cooperatives may join
    # The same key from the same coordinator opens one group buy however often it is sent.
    idempotency_key: str | None = None

    def request_key(self) -> RequestKey | None:
        """The idempotency key with this request's fingerprint, when a key was sent."""
        return keyed(self.idempotency_key, self.fingerprint)

    def fingerprint(self) -> str:
        """What makes two requests the same group buy, for the idempotency check."""
        return fingerprint(
            [
                list(self.coordinator),
                list(self.product),
                self.closes_at,
                self.target_quantity,
                self.min_quantity,
                self.partners_only,
            ]
        )


@dataclass(frozen=True)
class GroupBuyFilter:
    """Every field set narrows the list; None leaves it open."""

    status: GroupBuyState | None = None
    product: Key | None = None
    supplier: Key | None = None
    coordinator: Key | None = None
    participant: Key | None = None
