"""What a product search asks, as both search paths take it, and its sort orders.

``ProductSearch`` is the one request type: the catalog index (``federation.index.search``)
and the live fan-out (``federation.search``) answer it with the same meaning, defined in
``federation.matching``. This module imports nothing of the index, so both can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from connectors.records import CertificationKind, ProductQuery
from federation import cursor


class ProductSort(StrEnum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"


@dataclass(frozen=True)
class ProductSearch:
    """One product search as a caller asked it, whichever path answers it."""

    query: ProductQuery
    sort: ProductSort = ProductSort.RELEVANCE
    networks: tuple[str, ...] | None = None
    certifications: tuple[CertificationKind, ...] = ()

    def fingerprint(self, source: str) -> str:
        """The cursor fingerprint of this search on ``source`` (each path's cursors are
        its own: a cursor of one is refused by the other)."""
        return cursor.fingerprint(source, self.query, self.sort, self.networks, self.certifications)
