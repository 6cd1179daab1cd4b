"""The Tangerang network: HMAC-signed REST in English snake_case, cursor paged.

Prices arrive as decimal strings of whole rupiah, stock may be null, suppliers are
"merchants" and batch lookups are ``POST …:batchGet``. A position is the native cursor
of a page's start plus how many of that page's items were consumed, because the
network's cursors are opaque and only mark page boundaries. Orders are idempotent by the
``Idempotency-Key`` header (the sub-order's reference) and found again by it; a
cooperative's transactions come live from the network's server-sent event stream.
"""

from connectors.tangerang.connector import TangerangConnector
from connectors.tangerang.stream import StreamPolicy, TransactionStream

__all__ = ["StreamPolicy", "TangerangConnector", "TransactionStream"]
