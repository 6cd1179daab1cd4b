"""Database rows to SEJUK's response models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from networks.sejuk.order_schemas import BarisPesanan, Pembeli, Pesanan
from networks.sejuk.schemas import Kemitraan, Koperasi, Pemasok, Perubahan, Produk


def koperasi_view(row: Mapping[Any, Any]) -> Koperasi:
    return Koperasi.model_validate(dict(row))


def pemasok_view(row: Mapping[Any, Any], mitra: list[int] | None = None) -> Pemasok:
    return Pemasok.model_validate({**row, "koperasi_mitra": mitra or []})


def produk_view(row: Mapping[Any, Any]) -> Produk:
    return Produk.model_validate(dict(row))


def kemitraan_view(row: Mapping[Any, Any]) -> Kemitraan:
    return Kemitraan.model_validate(dict(row))


def perubahan_view(row: Mapping[Any, Any]) -> Perubahan:
    return Perubahan.model_validate(dict(row))


def pesanan_view(row: Mapping[Any, Any], lines: list[Mapping[Any, Any]]) -> Pesanan:
    return Pesanan(
        id=row["id"],
        referensi_klien=row["referensi_klien"],
        status=row["status"],
        pembeli=Pembeli(
            nama=row["pembeli_nama"],
            organisasi_id=row["pembeli_organisasi_id"],
            jaringan_asal=row["pembeli_jaringan_asal"],
            kode_wilayah_kirim=row["pembeli_kode_wilayah_kirim"],
        ),
        baris=[BarisPesanan.model_validate(dict(line)) for line in lines],
        total=row["total"],
        catatan=row["catatan"],
        dibuat_pada=row["dibuat_pada"],
        diperbarui_pada=row["diperbarui_pada"],
    )


def dump(model: Any) -> Any:
    """JSON-ready data of a response model."""
    return model.model_dump(mode="json")
