"""What the admin endpoints accept."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from networks.common.catalog import CATEGORY_BY_SLUG
from networks.sejuk.schemas import HargaGrosir


class ProdukMasuk(BaseModel):
    """Body of ``PUT /admin/produk/{id}``: the whole product, created or replaced."""

    model_config = ConfigDict(extra="forbid", strict=True)

    nama: str = Field(min_length=1, max_length=300)
    deskripsi: str = Field(default="", max_length=2000)
    kode: str | None = Field(default=None, min_length=1, max_length=100)
    kategori: str
    satuan: str = Field(min_length=1, max_length=30)
    harga: int = Field(gt=0, le=10**12)
    stok: int = Field(ge=0, le=10**9)
    minimal_pesan: int = Field(default=1, ge=1, le=10**6)
    pemasok_id: int = Field(ge=1)
    harga_grosir: list[HargaGrosir] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.kategori not in CATEGORY_BY_SLUG:
            raise ValueError(f"kategori tidak dikenal: {self.kategori}")
        minimums = [t.minimal for t in self.harga_grosir]
        if minimums != sorted(set(minimums)):
            raise ValueError("harga_grosir harus urut naik menurut minimal, tanpa duplikat")
        if any(t.harga >= self.harga for t in self.harga_grosir):
            raise ValueError("harga grosir harus di bawah harga satuan")
        return self
