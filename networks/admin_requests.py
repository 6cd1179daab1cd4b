"""Product writes through each reference network's admin API, in that network's own shape.

For tests and benchmarks that change a network's catalogue ("this product, with another
price"): one function builds the admin call from a product's canonical facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class TierFacts(Protocol):
    @property
    def min_quantity(self) -> int: ...
    @property
    def unit_price(self) -> int: ...


class ProductFacts(Protocol):
    """What a product's admin call needs (the hub's ``ProductRecord`` has it)."""

    @property
    def network(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def price(self) -> int: ...
    @property
    def stock(self) -> int | None: ...
    @property
    def min_order(self) -> int: ...
    @property
    def supplier_id(self) -> str: ...
    @property
    def tiers(self) -> Sequence[TierFacts]: ...


def put_request(product: ProductFacts) -> tuple[str, dict[str, Any]]:
    """The admin path and body that create or replace ``product`` at its network."""
    if product.network == "sejuk":
        return f"/admin/produk/{product.id}", {
            "nama": product.name,
            "deskripsi": product.description,
            "kategori": product.category,
            "satuan": product.unit,
            "harga": product.price,
            "stok": product.stock or 0,
            "minimal_pesan": product.min_order,
            "pemasok_id": int(product.supplier_id),
            "harga_grosir": [
                {"minimal": t.min_quantity, "harga": t.unit_price}
                for t in product.tiers
                if t.unit_price < product.price
            ],
        }
    if product.network == "tangerang":
        return f"/admin/items/{product.id}", {
            "merchant_id": product.supplier_id,
            "name": product.name,
            "description": product.description,
            "category": product.category,
            "unit": product.unit,
            "price": f"{product.price}.00",
            "stock": product.stock,
            "min_order": product.min_order,
        }
    if product.network == "padi":
        return f"/admin/products/{product.id}", {
            "umkmId": product.supplier_id,
            "name": product.name,
            "category": product.category,
            "unit": product.unit,
            "price": product.price,
            "stock": product.stock or 0,
            "minOrder": product.min_order,
            "description": product.description,
        }
    raise ValueError(f"no admin API known for {product.network!r}")


def delete_path(network: str, product_id: str) -> str:
    """The admin path that deletes a product."""
    prefix = {"sejuk": "produk", "tangerang": "items", "padi": "products"}[network]
    return f"/admin/{prefix}/{product_id}"
