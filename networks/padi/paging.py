"""Page/size arguments, 1-based, checked against the network's largest page."""

from __future__ import annotations

from dataclasses import dataclass

from networks.padi.errors import INVALID_INPUT, PadiError

DEFAULT_SIZE = 20


@dataclass(frozen=True)
class Paging:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def total_pages(self, total: int) -> int:
        return (total + self.size - 1) // self.size


def paging(page: int, size: int, max_size: int) -> Paging:
    """Validated paging, or INVALID_INPUT naming the argument at fault."""
    if page < 1:
        raise PadiError(
            INVALID_INPUT, "page starts at 1", [{"field": "page", "problem": "must be >= 1"}]
        )
    if size < 1 or size > max_size:
        raise PadiError(
            INVALID_INPUT,
            f"size must be between 1 and {max_size}",
            [{"field": "size", "problem": f"must be between 1 and {max_size}"}],
        )
    return Paging(page, size)
