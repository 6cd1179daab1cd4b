"""SEJUK's product change feed (``GET /api/v1/perubahan/produk``) as canonical changes.

The marker is the last ``versi`` read. Each call asks for the first page after it
(``sejak``), so no ``sampai`` window needs carrying between calls: versions only grow.
"""

from __future__ import annotations

from typing import Literal

from pydantic import TypeAdapter

from connectors.errors import NetworkRejected
from connectors.http import JsonClient, parse
from connectors.records import ChangeKind, ChangePage, ProductChange
from connectors.sejuk import mapping
from connectors.sejuk.native import Native, Produk
from connectors.sejuk.paging import MAX_PAGE

PERUBAHAN = "/api/v1/perubahan/produk"


class Perubahan(Native):
    versi: int
    produk_id: int
    jenis: Literal["ubah", "hapus"]
    produk: Produk | None


class HalamanPerubahan(Native):
    data: list[Perubahan]
    total: int
    versi_sampai: int


PERUBAHAN_PAGE = TypeAdapter(HalamanPerubahan)


async def product_changes(
    network: str, client: JsonClient, after: str | None, limit: int
) -> ChangePage:
    """Up to ``limit`` changes after version ``after`` (None: from the first)."""
    since = _version(network, after)
    size = max(1, min(limit, MAX_PAGE))
    params = {"sejak": since, "halaman": 1, "per_halaman": size}
    answer = parse(network, PERUBAHAN_PAGE, await client.request("GET", PERUBAHAN, params=params))
    changes = tuple(_change(network, entry) for entry in answer.data)
    last = answer.data[-1].versi if answer.data else since
    return ChangePage(
        changes, str(last), has_more=answer.total > len(answer.data), remaining=answer.total
    )


def _change(network: str, entry: Perubahan) -> ProductChange:
    if entry.jenis == "hapus" or entry.produk is None:
        return ProductChange(network, str(entry.produk_id), ChangeKind.DELETED)
    product = mapping.product(network, entry.produk)
    return ProductChange(network, product.id, ChangeKind.UPSERTED, product)


def _version(network: str, marker: str | None) -> int:
    if marker is None:
        return 0
    if not marker.isascii() or not marker.isdigit() or str(int(marker)) != marker:
        raise NetworkRejected(network, f"{marker!r} is not a change marker of this network", 400)
    return int(marker)
