"""What every GraphQL resolver gets: the database, the caller and per-request loaders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from networks.common.db import Database
from networks.padi import catalog
from networks.padi.records import ProductRecord, UmkmRecord
from networks.padi.settings import PadiSettings
from networks.padi.tokens import Caller


@dataclass
class PadiContext:
    db: Database
    settings: PadiSettings
    caller: Caller
    umkm_loader: DataLoader[str, UmkmRecord | None] = field(init=False)
    product_loader: DataLoader[str, ProductRecord | None] = field(init=False)

    def __post_init__(self) -> None:
        self.umkm_loader = DataLoader(load_fn=self._load_umkms)
        self.product_loader = DataLoader(load_fn=self._load_products)

    async def _load_umkms(self, ids: Sequence[str]) -> list[UmkmRecord | None]:
        async with self.db.read() as session:
            found = await catalog.umkms_by_ids(session, ids)
        return [found.get(i) for i in ids]

    async def _load_products(self, ids: Sequence[str]) -> list[ProductRecord | None]:
        async with self.db.read() as session:
            found = await catalog.products_by_ids(session, ids)
        return [found.get(i) for i in ids]
