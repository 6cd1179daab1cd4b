"""Custom scalars: ``Long`` for rupiah amounts beyond GraphQL's 32-bit ``Int``."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

Long = NewType("Long", int)


def _parse_long(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"Long must be a whole number, not {value!r}")
    return value


SCALARS: dict[object, ScalarDefinition] = {
    Long: strawberry.scalar(
        name="Long",
        description="A whole number that may exceed 32 bits (rupiah amounts), as a JSON number.",
        serialize=int,
        parse_value=_parse_long,
    )
}
