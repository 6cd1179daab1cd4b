"""SEJUK's native rows as canonical records."""

from __future__ import annotations

from connectors.records import (
    Certification,
    CertificationKind,
    CooperativeRecord,
    OrderLineRecord,
    OrderRecord,
    OrderRequest,
    OrderStatus,
    PartnershipRecord,
    PriceTier,
    ProductRecord,
    Scale,
    SupplierRecord,
)
from connectors.sejuk.native import (
    BarisMasuk,
    HargaGrosir,
    Kemitraan,
    Koperasi,
    Pemasok,
    Pembeli,
    Pesanan,
    PesananMasuk,
    Produk,
    StatusPesanan,
)

ORDER_STATUS: dict[StatusPesanan, OrderStatus] = {
    "dibuat": OrderStatus.CREATED,
    "dikonfirmasi": OrderStatus.CONFIRMED,
    "dikirim": OrderStatus.SHIPPED,
    "diterima": OrderStatus.DELIVERED,
    "dibatalkan": OrderStatus.CANCELLED,
}


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


def partnership(network: str, k: Kemitraan) -> PartnershipRecord:
    """A JUK MoU between a cooperative and a supplier, both SEJUK's."""
    return PartnershipRecord(
        network=network,
        mou_number=k.nomor_mou,
        cooperative_id=str(k.koperasi_id),
        supplier_id=str(k.pemasok_id),
        categories=tuple(k.kategori),
        valid_from=k.berlaku_mulai,
        valid_until=k.berlaku_sampai,
    )


def pesanan_masuk(request: OrderRequest, produk_ids: list[int]) -> PesananMasuk:
    """The order SEJUK is asked for: ``produk_ids`` are the lines' ids as SEJUK's integers."""
    buyer = request.buyer
    return PesananMasuk(
        referensi_klien=request.reference,
        pembeli=Pembeli(
            nama=buyer.name,
            organisasi_id=buyer.organization_id,
            jaringan_asal=buyer.home_network,
            kode_wilayah_kirim=buyer.delivery_region_code,
        ),
        baris=[
            BarisMasuk(produk_id=pid, jumlah=line.quantity)
            for pid, line in zip(produk_ids, request.lines, strict=True)
        ],
    )


def order(network: str, p: Pesanan) -> OrderRecord:
    """An order with each line at the (wholesale) unit price SEJUK charged."""
    return OrderRecord(
        network=network,
        id=str(p.id),
        reference=p.referensi_klien,
        status=ORDER_STATUS[p.status],
        lines=tuple(
            OrderLineRecord(
                product_id=str(b.produk_id),
                quantity=b.jumlah,
                unit_price=b.harga_satuan,
                amount=b.subtotal,
            )
            for b in p.baris
        ),
        total=p.total,
    )


def _minimal(tier: HargaGrosir) -> int:
    return tier.minimal
