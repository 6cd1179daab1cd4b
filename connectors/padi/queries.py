"""The GraphQL operations the connector sends: one description per native query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

from pydantic import TypeAdapter

from connectors.padi.native import (
    Answer,
    Native,
    NativeCooperative,
    NativePage,
    NativeProduct,
    NativeUmkm,
)

N = TypeVar("N", bound=Native)

PRODUCT_FIELDS = "id umkmId name category unit price stock minOrder description regionCode"
UMKM_FIELDS = "id nib name kbli kbliCodes scale certifications { type number } regionCode verified"
COOPERATIVE_FIELDS = "id name type regionCode memberCount"
HEALTH = "{ result: __typename }"


@dataclass(frozen=True)
class Listing(Generic[N]):
    """A page/size query ``field(filter:, page:, size:)`` answering pages of ``model``."""

    field: str
    filter_type: str
    model: type[N]
    fields: str

    def document(self, pages: Sequence[tuple[int, int]]) -> str:
        """One operation reading each ``(page, size)``, aliased ``p0``, ``p1``, ..."""
        selections = " ".join(
            f"p{n}: {self.field}(filter: $filter, page: {page}, size: {size}) "
            f"{{ total items {{ {self.fields} }} }}"
            for n, (page, size) in enumerate(pages)
        )
        return f"query($filter: {self.filter_type}) {{ {selections} }}"

    @cached_property
    def adapter(self) -> TypeAdapter[dict[str, NativePage[N]]]:
        return TypeAdapter(dict[str, NativePage[self.model]])  # type: ignore[name-defined]


@dataclass(frozen=True)
class Lookup(Generic[N]):
    """A batch query ``field(argument: [keys])``: ``model`` or null per key, in order."""

    field: str
    argument: str
    key_type: str
    model: type[N]
    fields: str

    @property
    def document(self) -> str:
        return (
            f"query($keys: [{self.key_type}!]!) "
            f"{{ result: {self.field}({self.argument}: $keys) {{ {self.fields} }} }}"
        )

    @cached_property
    def adapter(self) -> TypeAdapter[Answer[list[N | None]]]:
        return TypeAdapter(Answer[list[self.model | None]])  # type: ignore[name-defined]


PRODUCT_SEARCH = Listing("searchProducts", "ProductFilter", NativeProduct, PRODUCT_FIELDS)
UMKM_SEARCH = Listing("umkms", "UmkmFilter", NativeUmkm, UMKM_FIELDS)
COOPERATIVE_SEARCH = Listing(
    "cooperatives", "CooperativeFilter", NativeCooperative, COOPERATIVE_FIELDS
)
PRODUCTS_BY_ID = Lookup("products", "ids", "ID", NativeProduct, PRODUCT_FIELDS)
UMKMS_BY_ID = Lookup("umkmsByIds", "ids", "ID", NativeUmkm, UMKM_FIELDS)
UMKMS_BY_NIB = Lookup("umkmsByNibs", "nibs", "String", NativeUmkm, UMKM_FIELDS)
COOPERATIVES_BY_ID = Lookup("cooperativesByIds", "ids", "ID", NativeCooperative, COOPERATIVE_FIELDS)
