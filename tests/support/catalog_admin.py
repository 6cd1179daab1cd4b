"""Product writes through each reference network's admin API, from canonical records.

Each network takes a product in its own shape; these build that shape from a
``ProductRecord`` so tests can say "this product, with another price" in one line.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from connectors.records import ProductRecord

# An id per network that its seed never hands out, in that network's own id format.
NEW_IDS = {"sejuk": "900001", "tangerang": "itm_900001", "padi": "PRD-BARU-1"}


def put_request(product: ProductRecord) -> tuple[str, dict[str, Any]]:
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


def new_product(template: ProductRecord, name: str) -> ProductRecord:
    """A product the network does not have yet, sold by ``template``'s supplier."""
    return replace(template, id=NEW_IDS[template.network], name=name, tiers=())
