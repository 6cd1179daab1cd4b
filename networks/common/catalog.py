"""Domain vocabulary the reference networks seed from: regions, categories, items.

Real Kemendagri region codes, KBLI 2020 codes and plausible 2026 rupiah prices, so that
what the hub shows a person reads like Indonesian commerce, not lorem ipsum.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # Kemendagri, dotted: "32.73"
    name: str

    @property
    def province_code(self) -> str:
        return self.code.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class Item:
    """A kind of product a supplier may sell, with its usual unit and price band."""

    name: str
    unit: str
    price_low: int  # integer rupiah per unit
    price_high: int
    min_order: int = 1


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    name: str
    kbli: str  # KBLI 2020, five digits
    items: tuple[Item, ...]


REGIONS: tuple[Region, ...] = (
    Region("32.73", "Kota Bandung"),
    Region("32.04", "Kabupaten Bandung"),
    Region("32.17", "Kabupaten Bandung Barat"),
    Region("32.77", "Kota Cimahi"),
    Region("32.01", "Kabupaten Bogor"),
    Region("32.71", "Kota Bogor"),
    Region("32.75", "Kota Bekasi"),
    Region("32.76", "Kota Depok"),
    Region("32.74", "Kota Cirebon"),
    Region("36.71", "Kota Tangerang"),
    Region("36.03", "Kabupaten Tangerang"),
    Region("36.74", "Kota Tangerang Selatan"),
    Region("36.73", "Kota Serang"),
    Region("36.72", "Kota Cilegon"),
    Region("31.71", "Kota Administrasi Jakarta Pusat"),
    Region("31.74", "Kota Administrasi Jakarta Selatan"),
    Region("31.72", "Kota Administrasi Jakarta Utara"),
    Region("33.74", "Kota Semarang"),
    Region("33.72", "Kota Surakarta"),
    Region("34.71", "Kota Yogyakarta"),
    Region("35.78", "Kota Surabaya"),
    Region("35.73", "Kota Malang"),
    Region("51.71", "Kota Denpasar"),
    Region("12.71", "Kota Medan"),
    Region("11.17", "Kabupaten Aceh Tengah"),
    Region("18.71", "Kota Bandar Lampung"),
    Region("73.71", "Kota Makassar"),
)

REGION_BY_CODE: dict[str, Region] = {r.code: r for r in REGIONS}

# Where each network's members are: SEJUK is Bandung Raya, Tangerang is Tangerang Raya,
# PaDi is national.
HOME_REGIONS: dict[str, tuple[str, ...]] = {
    "sejuk": ("32.73", "32.73", "32.73", "32.04", "32.17", "32.77"),
    "tangerang": ("36.71", "36.71", "36.71", "36.03", "36.74"),
    "padi": tuple(r.code for r in REGIONS),
}

CATEGORIES: tuple[Category, ...] = (
    Category(
        "beras",
        "Beras",
        "10613",
        (
            Item("Beras Premium 5 kg", "karung", 72_000, 84_000),
            Item("Beras Medium 5 kg", "karung", 60_000, 69_000),
            Item("Beras Pandan Wangi 5 kg", "karung", 78_000, 92_000),
            Item("Beras Premium 25 kg", "karung", 340_000, 395_000),
            Item("Beras Merah Organik 1 kg", "pak", 21_000, 29_000),
            Item("Beras Ketan Putih 1 kg", "kg", 18_000, 24_000),
        ),
    ),
    Category(
        "minyak-goreng",
        "Minyak Goreng",
        "10432",
        (
            Item("Minyak Goreng Sawit 1 L", "pouch", 16_000, 19_500),
            Item("Minyak Goreng Sawit 2 L", "pouch", 31_000, 38_000),
            Item("Minyak Goreng Kemasan 5 L", "jeriken", 78_000, 92_000),
            Item("Minyak Goreng Curah 1 kg", "kg", 14_500, 17_500, min_order=10),
            Item("Minyak Kelapa Murni 250 ml", "botol", 35_000, 55_000),
        ),
    ),
    Category(
        "gula",
        "Gula Pasir",
        "10721",
        (
            Item("Gula Pasir Kristal Putih 1 kg", "pak", 16_500, 19_000),
            Item("Gula Pasir 50 kg", "karung", 790_000, 900_000),
            Item("Gula Aren Cair 500 ml", "botol", 28_000, 42_000),
            Item("Gula Merah Kelapa 1 kg", "kg", 22_000, 32_000),
        ),
    ),
    Category(
        "telur",
        "Telur",
        "01462",
        (
            Item("Telur Ayam Ras 1 kg", "kg", 26_000, 32_000),
            Item("Telur Ayam Ras 30 butir", "rak", 52_000, 62_000),
            Item("Telur Ayam Kampung 10 butir", "pak", 25_000, 35_000),
            Item("Telur Asin Brebes", "butir", 4_000, 6_000, min_order=10),
            Item("Telur Bebek", "butir", 3_000, 4_500, min_order=10),
        ),
    ),
    Category(
        "tepung",
        "Tepung Terigu",
        "10621",
        (
            Item("Tepung Terigu Protein Sedang 1 kg", "pak", 12_000, 15_000),
            Item("Tepung Terigu Protein Tinggi 25 kg", "karung", 240_000, 290_000),
            Item("Tepung Beras 500 g", "pak", 7_000, 10_000),
            Item("Tepung Tapioka 500 g", "pak", 6_500, 9_500),
        ),
    ),
    Category(
        "kopi",
        "Kopi",
        "10761",
        (
            Item("Kopi Arabika Gayo 250 g", "pak", 65_000, 110_000),
            Item("Kopi Arabika Java Preanger 200 g", "pak", 60_000, 105_000),
            Item("Kopi Arabika Toraja 250 g", "pak", 70_000, 120_000),
            Item("Kopi Robusta Lampung 250 g", "pak", 35_000, 60_000),
            Item("Kopi Bubuk Robusta 1 kg", "pak", 110_000, 170_000),
            Item("Biji Kopi Arabika Sangrai 1 kg", "pak", 220_000, 360_000),
        ),
    ),
    Category(
        "keripik",
        "Keripik dan Kerupuk",
        "10794",
        (
            Item("Keripik Singkong Balado 250 g", "pak", 12_000, 20_000),
            Item("Keripik Tempe Sanan 200 g", "pak", 12_000, 18_000),
            Item("Keripik Pisang Lampung 250 g", "pak", 15_000, 25_000),
            Item("Keripik Kentang Pedas 200 g", "pak", 18_000, 28_000),
            Item("Kerupuk Udang Sidoarjo 500 g", "pak", 35_000, 55_000),
            Item("Basreng Pedas Daun Jeruk 150 g", "pak", 10_000, 17_000),
        ),
    ),
    Category(
        "batik",
        "Batik",
        "13134",
        (
            Item("Kain Batik Tulis Mega Mendung 2 m", "lembar", 350_000, 1_200_000),
            Item("Kain Batik Cap Parang 2 m", "lembar", 120_000, 300_000),
            Item("Kemeja Batik Pria Lengan Panjang", "pcs", 150_000, 450_000),
            Item("Selendang Batik Jumputan", "pcs", 75_000, 180_000),
        ),
    ),
    Category(
        "mie",
        "Mie dan Bihun",
        "10741",
        (
            Item("Mie Instan Goreng 40 bungkus", "dus", 105_000, 125_000),
            Item("Mie Instan Kuah Ayam Bawang 40 bungkus", "dus", 100_000, 118_000),
            Item("Bihun Jagung 350 g", "pak", 8_000, 12_000),
            Item("Mie Kering Telur 1 kg", "pak", 28_000, 38_000),
        ),
    ),
    Category(
        "sabun",
        "Sabun dan Deterjen",
        "20231",
        (
            Item("Deterjen Bubuk 1,8 kg", "pak", 38_000, 48_000),
            Item("Sabun Cuci Piring 780 ml", "pouch", 14_000, 18_000),
            Item("Sabun Mandi Batang 85 g isi 4", "pak", 14_000, 19_000),
            Item("Sabun Cair Herbal Sereh 500 ml", "botol", 25_000, 40_000),
        ),
    ),
    Category(
        "teh",
        "Teh",
        "10763",
        (
            Item("Teh Celup Melati 25 kantong", "kotak", 6_000, 9_000),
            Item("Teh Hitam Tubruk 250 g", "pak", 12_000, 18_000),
            Item("Teh Hijau Kayu Aro 100 g", "pak", 25_000, 45_000),
        ),
    ),
)

CATEGORY_BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}

SCALES: tuple[str, ...] = ("mikro", "kecil", "menengah", "besar")
CERTIFICATIONS: tuple[str, ...] = ("halal", "sni", "pirt", "bpom")
COOPERATIVE_TYPES: tuple[str, ...] = (
    "konsumen",
    "produsen",
    "serba_usaha",
    "simpan_pinjam",
    "pesantren",
)
LEGAL_FORMS: tuple[str, ...] = ("CV", "UD", "PT", "Toko")
BRAND_WORDS: tuple[str, ...] = (
    "Sumber Rejeki",
    "Berkah Jaya",
    "Tani Makmur",
    "Sinar Abadi",
    "Mekar Sari",
    "Cahaya Mandiri",
    "Sri Rejeki",
    "Lestari",
    "Barokah",
    "Putra Priangan",
    "Mitra Usaha",
    "Karya Bersama",
    "Sari Rasa",
    "Jaya Makmur",
    "Citra Nusantara",
    "Maju Bersama",
    "Dapur Ibu",
    "Kebun Kita",
    "Pasundan",
    "Nusa Indah",
)
