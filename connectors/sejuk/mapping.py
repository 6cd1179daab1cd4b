"""SEJUK's native rows as canonical records."""

from __future__ import annotations

from connectors.records import (
    Certification,
    CertificationKind,
    CooperativeRecord,
    PriceTier,
    ProductRecord,
    Scale,
    SupplierRecord,
)
from connectors.sejuk.native import HargaGrosir, Koperasi, Pemasok, Produk


def product(network: str, p: Produk) -> ProductRecord:
    """A product; SEJUK always knows its stock, and large suppliers' carry tiers."""
    return ProductRecord(
        network=network,
        id=str(p.id),
        name=p.nama,
        category=p.kategori,
        unit=p.satuan,
        price=p.harga,
        stock=p.stok,
        min_order=p.minimal_pesan,
        supplier_id=str(p.pemasok_id),
        region_code=p.kode_wilayah,
        description=p.deskripsi,
        tiers=tuple(PriceTier(t.minimal, t.harga) for t in sorted(p.harga_grosir, key=_minimal)),
    )


def supplier(network: str, s: Pemasok) -> SupplierRecord:
    """A supplier; SEJUK does not say whether it checked the NIB with OSS."""
    return SupplierRecord(
        network=network,
        id=str(s.id),
        nib=s.nib,
        name=s.nama,
        region_code=s.kode_wilayah,
        kbli=(s.kbli, *s.kbli_lain),
        scale=Scale(s.skala_usaha),
        certifications=tuple(
            Certification(CertificationKind(c.jenis), c.nomor) for c in s.sertifikasi
        ),
        verified=None,
        partner_cooperative_ids=tuple(str(k) for k in s.koperasi_mitra),
    )


def cooperative(network: str, k: Koperasi) -> CooperativeRecord:
    """A cooperative; SEJUK's ``jenis`` values are the canonical types."""
    return CooperativeRecord(
        network=network,
        id=str(k.id),
        name=k.nama,
        type=k.jenis,
        region_code=k.kode_wilayah,
        member_count=k.jumlah_anggota,
        address=k.alamat,
    )


def _minimal(tier: HargaGrosir) -> int:
    return tier.minimal
