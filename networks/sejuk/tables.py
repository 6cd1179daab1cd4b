"""SEJUK's SQLite tables (its own MetaData): catalogue, partnerships, orders, change log."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1

metadata = MetaData()

koperasi = Table(
    "koperasi",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("nama", String, nullable=False),
    Column("jenis", String, nullable=False, index=True),
    Column("nomor_badan_hukum", String, nullable=False),
    Column("ketua", String, nullable=False),
    Column("alamat", String, nullable=False),
    Column("telepon", String, nullable=False),
    Column("kode_wilayah", String, nullable=False, index=True),
    Column("jumlah_anggota", Integer, nullable=False),
    Column("tahun_berdiri", Integer, nullable=False),
)

pemasok = Table(
    "pemasok",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("nama", String, nullable=False),
    Column("nib", String(13), nullable=False, unique=True),
    Column("kbli", String(5), nullable=False),
    Column("kbli_lain", JSON, nullable=False),
    # ",10613,10432," so one LIKE finds a code among all of a supplier's KBLI.
    Column("kbli_cari", String, nullable=False),
    Column("skala_usaha", String, nullable=False, index=True),
    Column("sertifikasi", JSON, nullable=False),
    Column("sertifikasi_cari", String, nullable=False),
    Column("pemilik", String, nullable=False),
    Column("telepon", String, nullable=False),
    Column("alamat", String, nullable=False),
    Column("kode_wilayah", String, nullable=False, index=True),
    Column("tahun_berdiri", Integer, nullable=False),
)

produk = Table(
    "produk",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kode", String, nullable=False),
    Column("nama", String, nullable=False),
    Column("deskripsi", Text, nullable=False),
    Column("kategori", String, nullable=False, index=True),
    Column("satuan", String, nullable=False),
    Column("harga", Integer, nullable=False),
    Column("stok", Integer, nullable=False),
    Column("minimal_pesan", Integer, nullable=False),
    Column("harga_grosir", JSON, nullable=False),
    Column("pemasok_id", Integer, ForeignKey("pemasok.id"), nullable=False, index=True),
    Column("kode_wilayah", String, nullable=False, index=True),
    Column("diperbarui_pada", String, nullable=False),
    Column("dihapus", Boolean, nullable=False, default=False),
)

kemitraan = Table(
    "kemitraan",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("nomor_mou", String, nullable=False, unique=True),
    Column("koperasi_id", Integer, ForeignKey("koperasi.id"), nullable=False, index=True),
    Column("pemasok_id", Integer, ForeignKey("pemasok.id"), nullable=False, index=True),
    Column("kategori", JSON, nullable=False),
    Column("berlaku_mulai", String, nullable=False),
    Column("berlaku_sampai", String, nullable=False),
)

# Append-only: one row per change, with the product as it was right after the change.
perubahan_produk = Table(
    "perubahan_produk",
    metadata,
    Column("versi", Integer, primary_key=True, autoincrement=True),
    Column("produk_id", Integer, nullable=False, index=True),
    Column("jenis", String, nullable=False),
    Column("produk", JSON, nullable=True),
    sqlite_autoincrement=True,
)

pesanan = Table(
    "pesanan",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("mitra", String, nullable=False),
    Column("referensi_klien", String, nullable=False),
    Column("status", String, nullable=False, index=True),
    Column("pembeli_nama", String, nullable=False),
    Column("pembeli_organisasi_id", String, nullable=False),
    Column("pembeli_jaringan_asal", String, nullable=False),
    Column("pembeli_kode_wilayah_kirim", String, nullable=False),
    Column("catatan", Text, nullable=True),
    Column("total", Integer, nullable=False),
    Column("dibuat_pada", String, nullable=False),
    Column("diperbarui_pada", String, nullable=False),
    UniqueConstraint("mitra", "referensi_klien", name="uq_pesanan_referensi"),
)

pesanan_baris = Table(
    "pesanan_baris",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pesanan_id", Integer, ForeignKey("pesanan.id"), nullable=False),
    Column("produk_id", Integer, ForeignKey("produk.id"), nullable=False),
    Column("nama", String, nullable=False),
    Column("satuan", String, nullable=False),
    Column("jumlah", Integer, nullable=False),
    Column("harga_dasar", Integer, nullable=False),
    Column("harga_satuan", Integer, nullable=False),
    Column("tingkat_grosir", Integer, nullable=True),
    Column("subtotal", Integer, nullable=False),
    Index("ix_pesanan_baris_pesanan", "pesanan_id"),
)
