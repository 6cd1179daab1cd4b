"""Product keys: unique integers that sort by price.

``key = min(price, MAX_PRICE) << SEQ_BITS | seq``, where ``seq`` comes from a hash of
``(network, id)`` (stable whatever order products arrive in) and moves on by one when
another product already holds that key. A product keeps its key while its price stays;
a new price means a new key.
"""

from __future__ import annotations

import hashlib

SEQ_BITS = 22  # 4 million products at one price
MAX_PRICE = (1 << (63 - SEQ_BITS)) - 1  # about 2.2 trillion rupiah: the key stays signed


def seq(network: str, product_id: str) -> int:
    """Where a product starts looking for a free key among those of its price."""
    digest = hashlib.blake2b(f"{network}\0{product_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % (1 << SEQ_BITS)


def key(price: int, position: int) -> int:
    """The key at ``position`` among those of ``price``."""
    return (min(max(price, 0), MAX_PRICE) << SEQ_BITS) | (position % (1 << SEQ_BITS))


def price_floor(price: int) -> int:
    """The smallest key a product of at least ``price`` can have."""
    return key(price, 0)


def price_ceiling(price: int) -> int:
    """The largest key a product of at most ``price`` can have."""
    return (min(max(price, 0), MAX_PRICE) << SEQ_BITS) | ((1 << SEQ_BITS) - 1)


def next_key(current: int) -> int:
    """The next key at the same price (wrapping within the price's range)."""
    price = current >> SEQ_BITS
    return key(price, (current & ((1 << SEQ_BITS) - 1)) + 1)
