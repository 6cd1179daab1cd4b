"""What the reference networks hold in their own databases, read from their SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.schema.test_orders import NETWORK_ORDERS

# Each network's order status column holds one of these once an order is cancelled.
CANCELLED = frozenset({"dibatalkan", "cancelled"})  # compared in lower case


def statuses(database: Path, code: str, reference: str) -> list[str]:
    """The status of every order ``code`` holds under the hub's ``reference`` (lower case)."""
    table, column = NETWORK_ORDERS[code]
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        query = f"SELECT status FROM {table} WHERE {column} = ?"
        return [str(row[0]).lower() for row in conn.execute(query, (reference,))]
