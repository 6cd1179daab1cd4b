"""Indonesian text normalisation, query parsing and product keys (no database)."""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
import pytest
from sqlalchemy import select

from connectors.records import ProductQuery, ProductRecord
from federation.index import IndexSearch, keys, search_products, store
from federation.index.tables import catalog_products
from federation.index.text import Group, normalise, parse, region_prefixes, tag
from federation.orders.database import connect
from hub.database import upgrade


def test_normalising_folds_case_accents_units_and_spellings() -> None:
    assert normalise("Kopi Arábika 250gr") == "kopi arabika 250 g"
    assert normalise("Telor Ayam 1 Kilo", "Kripik-Singkong") == "telur ayam 1 kg keripik singkong"
    assert normalise("Deterjen Bubuk 1,8 kg") == "deterjen bubuk 1 8 kg"
    assert normalise("  ") == ""


def test_synonyms_become_alternatives_and_the_last_word_a_prefix() -> None:
    migor = parse("migor")
    assert migor.groups == (Group((("migor",), ("minyak", "goreng"))),)
    assert not migor.prefix
    assert migor.variants() == (("migor",), ("minyak", "goreng"))
    arabika = parse("Kopi arab")
    assert arabika.groups == (Group((("kopi",),)), Group((("arab",),)))
    assert arabika.prefix
    assert not parse("beras premium 5 kg").prefix  # "kg" is too short to be a prefix
    assert parse("gula jawa dan kopi").groups[0] == Group((("gula", "jawa"), ("gula", "merah")))
    assert parse("dan").groups == (Group((("dan",),)),)  # only stop words: keep them
    assert parse("!!!").empty


def test_tags_survive_any_tokenizer() -> None:
    assert tag("c", "minyak-goreng").isalnum()
    assert tag("r", "32.73") != tag("r", "32.7")
    assert region_prefixes("32.73.01") == ["32", "32.73", "32.73.01"]


def test_keys_sort_by_price() -> None:
    assert keys.key(1_000, 5) < keys.key(1_001, 0)
    assert keys.price_floor(1_000) <= keys.key(1_000, 5) <= keys.price_ceiling(1_000)
    assert keys.next_key(keys.price_ceiling(7)) == keys.price_floor(7)


def _product(product_id: str, price: int) -> ProductRecord:
    return ProductRecord(
        network="sejuk",
        id=product_id,
        name=f"Kopi Arabika Gayo {product_id}",
        category="kopi",
        unit="pak",
        price=price,
        stock=5,
        min_order=1,
        supplier_id="1",
        region_code="32.73",
    )


async def test_products_at_one_price_get_distinct_keys_and_stay_searchable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/hub.sqlite3"
    await anyio.to_thread.run_sync(upgrade, url)
    engine = connect(url)
    monkeypatch.setattr(keys, "seq", lambda network, product_id: 9)  # every one collides
    try:
        async with engine.begin() as conn:
            await store.apply_products(conn, "sejuk", [_product(i, 50_000) for i in "abc"], [], 1)
        async with engine.begin() as conn:
            await store.apply_products(conn, "sejuk", [_product("d", 50_000)], ["b"], 1)
            await store.apply_products(conn, "sejuk", [_product("a", 40_000)], [], 1)
        async with engine.connect() as conn:
            found = (
                await conn.execute(select(catalog_products.c.id, catalog_products.c.key))
            ).all()
        assert len({k for _, k in found}) == len(found) == 3
        page = await search_products(engine, IndexSearch(ProductQuery(text="gayo")), 10)
        # d took the key b left (the first free one after a's): ties follow keys.
        assert [p.id for p, _ in page.items] == ["a", "d", "c"]
        assert [p.price for p, _ in page.items] == [40_000, 50_000, 50_000]
    finally:
        await engine.dispose()
