from __future__ import annotations

import re
from collections import Counter

from networks.common.catalog import CATEGORY_BY_SLUG, REGION_BY_CODE
from networks.common.universe import NETWORKS, Universe


def test_same_seed_same_world_different_seed_different_world() -> None:
    assert Universe(7).umkm(42) == Universe(7).umkm(42)
    assert [Universe(7).umkm(i) for i in range(20)] != [Universe(8).umkm(i) for i in range(20)]


def test_umkm_carry_real_identifiers() -> None:
    universe = Universe(2026)
    population = [universe.umkm(i) for i in range(500)]
    nibs = [u.nib for u in population]
    assert all(re.fullmatch(r"\d{13}", nib) for nib in nibs)
    assert len(set(nibs)) == len(nibs)
    assert all(re.fullmatch(r"\d{5}", code) for u in population for code in u.kbli_codes)
    assert all(u.region_code in REGION_BY_CODE for u in population)
    assert {u.scale for u in population} == {"mikro", "kecil", "menengah", "besar"}
    kinds = {c.kind for u in population for c in u.certifications}
    assert kinds == {"halal", "sni", "pirt", "bpom"}
    halal = [c.number for u in population for c in u.certifications if c.kind == "halal"]
    assert all(number.startswith("ID") for number in halal)


def test_about_one_in_ten_umkm_is_in_two_networks() -> None:
    universe = Universe(2026)
    population = [universe.umkm(i) for i in range(3_000)]
    shared = sum(1 for u in population if len(u.networks) == 2) / len(population)
    assert 0.08 < shared < 0.12
    homes = Counter(u.networks[0] for u in population)
    assert set(homes) == set(NETWORKS)


def test_a_shared_umkm_agrees_on_nib_but_not_on_spelling_or_price() -> None:
    universe = Universe(2026)
    shared = next(u for u in (universe.umkm(i) for i in range(200)) if len(u.networks) == 2)
    home, second = shared.networks
    assert shared.name_in(home) != shared.name_in(second)
    prices = [
        (universe.product(home, shared, n).price, universe.product(second, shared, n).price)
        for n in range(10)
    ]
    assert any(a != b for a, b in prices)
    assert all(abs(a - b) / a <= 0.07 for a, b in prices)
    assert universe.product(home, shared, 3).sku == universe.product(second, shared, 3).sku


def test_networks_seeded_alone_find_the_same_shared_umkm() -> None:
    sejuk = {u.nib: u for u in Universe(5).suppliers_for("sejuk", 300)}
    padi = {u.nib: u for u in Universe(5).suppliers_for("padi", 300)}
    both = set(sejuk) & set(padi)
    assert both
    assert all(sejuk[nib] == padi[nib] for nib in both)


def test_products_are_spread_over_suppliers_and_named_uniquely() -> None:
    universe = Universe(2026)
    suppliers = universe.suppliers_for("tangerang", 40)
    products = list(universe.products_for("tangerang", suppliers, 1_003))
    assert len(products) == 1_003
    per_supplier = Counter(p.umkm.nib for p in products)
    assert set(per_supplier.values()) <= {25, 26}
    assert len({p.sku for p in products}) == len(products)
    assert len({(p.umkm.nib, p.name) for p in products}) == len(products)
    assert all(p.price > 0 and p.price % 100 == 0 for p in products)
    assert all(p.category.slug in CATEGORY_BY_SLUG for p in products)
    assert any(p.stock == 0 for p in products)
