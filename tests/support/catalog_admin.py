"""Catalogue changes at the reference networks for tests: new products, and the admin
calls (``networks.admin_requests``) that write them."""

from __future__ import annotations

from dataclasses import replace

from connectors.records import ProductRecord
from networks.admin_requests import delete_path, put_request

__all__ = ["NEW_IDS", "delete_path", "new_product", "put_request"]

# An id per network that its seed never hands out, in that network's own id format.
NEW_IDS = {"sejuk": "900001", "tangerang": "itm_900001", "padi": "PRD-BARU-1"}


def new_product(template: ProductRecord, name: str) -> ProductRecord:
    """A product the network does not have yet, sold by ``template``'s supplier."""
    return replace(template, id=NEW_IDS[template.network], name=name, tiers=())
