"""Catalog queries: UMKM, products, koperasi, BUMN, spend; paging, errors, schema, faults."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from networks.common.universe import Universe
from networks.padi import catalog
from networks.padi.app import create_app
from networks.padi.schema import build_schema
from networks.padi.seed import is_verified, spend_months
from networks.padi.settings import PadiSettings
from networks.testing import in_process

UMKM_FIELDS = "id nib name kbli kbliCodes scale certifications { type number } regionCode verified"


async def walk(padi, field: str, args: str, size: int) -> list[dict]:
    """Every item of a paged query, page by page until totalPages."""
    seen: list[dict] = []
    page = 1
    while True:
        query = f"{{ {field}({args} page: {page}, size: {size}) {{ total totalPages page items {{ id }} }} }}"
        result = (await padi.gql(query))[field]
        assert result["page"] == page
        seen.extend(result["items"])
        if page >= result["totalPages"]:
            assert len(seen) == result["total"]
            return seen
        page += 1


async def test_umkm_paging_reaches_every_umkm_once(padi) -> None:
    items = await walk(padi, "umkms", "", 5)
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) == 12


async def test_umkm_fields_and_lookups(padi) -> None:
    first = (await padi.gql(f"{{ umkms(size: 1) {{ items {{ {UMKM_FIELDS} }} }} }}"))["umkms"][
        "items"
    ][0]
    assert len(first["nib"]) == 13
    assert first["nib"].isdigit()
    assert first["scale"] in {"MIKRO", "KECIL", "MENENGAH", "BESAR"}
    assert first["kbli"] in first["kbliCodes"]
    one = await padi.gql("query($id: ID!) { umkm(id: $id) { nib } }", {"id": first["id"]})
    assert one["umkm"]["nib"] == first["nib"]
    batch = await padi.gql(
        "query($ids: [ID!]!) { umkmsByIds(ids: $ids) { id } }", {"ids": ["nope", first["id"]]}
    )
    assert batch["umkmsByIds"] == [None, {"id": first["id"]}]
    assert (await padi.gql('{ umkm(id: "UMKM-0") { id } }'))["umkm"] is None


async def test_umkm_filters(padi) -> None:
    everyone = (await padi.gql(f"{{ umkms(size: 100) {{ items {{ {UMKM_FIELDS} }} }} }}"))["umkms"][
        "items"
    ]
    sample = everyone[0]

    async def ids(filter_: str) -> set[str]:
        data = await padi.gql(f"{{ umkms(filter: {filter_}, size: 100) {{ items {{ id }} }} }}")
        return {i["id"] for i in data["umkms"]["items"]}

    assert await ids(f"{{scale: {sample['scale']}}}") == {
        u["id"] for u in everyone if u["scale"] == sample["scale"]
    }
    assert await ids(f'{{kbli: "{sample["kbli"]}"}}') == {
        u["id"] for u in everyone if sample["kbli"] in u["kbliCodes"]
    }
    assert await ids(f'{{regionCodes: ["{sample["regionCode"]}"]}}') == {
        u["id"] for u in everyone if u["regionCode"] == sample["regionCode"]
    }
    assert await ids("{verifiedOnly: true}") == {u["id"] for u in everyone if u["verified"]}
    assert await ids("{certifications: [HALAL]}") == {
        u["id"] for u in everyone if any(c["type"] == "HALAL" for c in u["certifications"])
    }
    assert sample["id"] in await ids(f'{{text: "{sample["name"].split()[-1].lower()}"}}')
    assert await ids('{text: "%"}') == set()


def test_about_85_percent_of_nibs_are_verified() -> None:
    universe = Universe(2026)
    umkms = [universe.umkm(i) for i in range(1_000)]
    share = sum(is_verified(u) for u in umkms) / len(umkms)
    assert 0.8 < share < 0.9


async def test_products_get_batch_search_and_paging(padi) -> None:
    items = await walk(padi, "searchProducts", "", 25)
    assert len({i["id"] for i in items}) == 120
    first = await padi.product(items[0]["id"])
    assert first is not None
    assert first["price"] > 0
    batch = await padi.gql(
        "query($ids: [ID!]!) { products(ids: $ids) { id umkm { nib } } }",
        {"ids": [items[1]["id"], "PRD-none", items[0]["id"]]},
    )
    assert [p and p["id"] for p in batch["products"]] == [items[1]["id"], None, items[0]["id"]]
    assert batch["products"][0]["umkm"]["nib"]


async def test_product_search_filters(padi) -> None:
    fields = "items { id name category price stock umkmId regionCode }"
    pages = await padi.gql(
        f"{{ a: searchProducts(size: 60) {{ {fields} }} b: searchProducts(size: 60, page: 2) {{ {fields} }} }}"
    )
    everything = pages["a"]["items"] + pages["b"]["items"]
    p = everything[0]

    async def ids(filter_: str) -> set[str]:
        data = await padi.gql(
            f"{{ a: searchProducts(filter: {filter_}, size: 60) {{ items {{ id }} }} "
            f"b: searchProducts(filter: {filter_}, size: 60, page: 2) {{ items {{ id }} }} }}"
        )
        return {i["id"] for i in data["a"]["items"] + data["b"]["items"]}

    assert await ids(f'{{category: "{p["category"]}", umkmId: "{p["umkmId"]}"}}') == {
        x["id"] for x in everything if x["category"] == p["category"] and x["umkmId"] == p["umkmId"]
    }
    assert p["id"] in await ids('{text: "' + p["name"][:8].upper() + '"}')
    priced = await ids("{minPrice: 20000, maxPrice: 60000}")
    assert priced == {x["id"] for x in everything if 20_000 <= x["price"] <= 60_000}
    in_stock = await ids("{inStock: true}")
    assert in_stock == {x["id"] for x in everything if x["stock"] > 0}
    assert p["id"] in await ids(f'{{regionCode: "{p["regionCode"]}"}}')


async def test_cooperatives_and_bumns(padi) -> None:
    page = (
        await padi.gql(
            "{ cooperatives(size: 100) { total items { id name type registrationNumber regionCode memberCount role } } }"
        )
    )["cooperatives"]
    assert page["total"] == 12
    kinds = {c["type"] for c in page["items"]}
    assert kinds <= {"KONSUMEN", "PRODUSEN", "SERBA_USAHA", "SIMPAN_PINJAM", "PESANTREN"}
    first = page["items"][0]
    one = await padi.gql("query($id: ID!) { cooperative(id: $id) { name } }", {"id": first["id"]})
    assert one["cooperative"]["name"] == first["name"]
    batch = await padi.gql(
        "query($ids: [ID!]!) { cooperativesByIds(ids: $ids) { id } }",
        {"ids": [first["id"], "KOP-x"]},
    )
    assert batch["cooperativesByIds"] == [{"id": first["id"]}, None]
    filtered = await padi.gql(
        f"{{ cooperatives(filter: {{type: {first['type']}, role: {first['role']}}}) {{ items {{ type role }} }} }}"
    )
    assert all(c["type"] == first["type"] for c in filtered["cooperatives"]["items"])
    bumns = (await padi.gql("{ bumns { id name sector regionCode } }"))["bumns"]
    assert "PT Energi Nusantara (Persero)" in {b["name"] for b in bumns}


async def test_spend_groups_agree_on_the_total(padi) -> None:
    totals = set()
    for group in ("REGION", "SCALE", "MONTH", "BUMN"):
        spend = (
            await padi.gql(
                f"{{ spend(groupBy: {group}) {{ groupBy total orderCount rows {{ key amount orderCount }} }} }}"
            )
        )["spend"]
        assert sum(r["amount"] for r in spend["rows"]) == spend["total"]
        totals.add(spend["total"])
        if group == "MONTH":
            # Three years of history, up to the month the network was seeded in.
            seeded_on = padi.app.state.settings.seeded_on
            assert [r["key"] for r in spend["rows"]] == list(spend_months(seeded_on))
            assert len(spend["rows"]) == 36
    assert len(totals) == 1
    assert totals.pop() > 2**31
    last_year = padi.app.state.settings.seeded_on.year - 1
    year = (
        await padi.gql(
            f'{{ spend(groupBy: MONTH, filter: {{monthFrom: "{last_year}-01", monthTo: "{last_year}-12", bumnId: "BUMN-PANGAN", scale: MIKRO}}) {{ rows {{ key }} }} }}'
        )
    )["spend"]
    assert year["rows"]
    assert all(r["key"].startswith(f"{last_year}-") for r in year["rows"])
    bad = await padi.error('{ spend(groupBy: MONTH, filter: {monthFrom: "2025-13"}) { total } }')
    assert bad["extensions"]["code"] == "INVALID_INPUT"


async def test_paging_arguments_are_checked(padi) -> None:
    too_big = await padi.error("{ searchProducts(size: 101) { total } }")
    assert too_big["extensions"] == {
        "code": "INVALID_INPUT",
        "details": [{"field": "size", "problem": "must be between 1 and 100"}],
    }
    zero = await padi.error("{ umkms(page: 0) { total } }")
    assert zero["extensions"]["code"] == "INVALID_INPUT"
    batch = await padi.error(
        "query($ids: [ID!]!) { products(ids: $ids) { id } }", {"ids": ["x"] * 101}
    )
    assert batch["extensions"]["code"] == "INVALID_INPUT"


async def test_malformed_requests_are_400_json(padi) -> None:
    bad_json = await padi.http.post(
        "/graphql", content=b"{not json", headers={**padi.auth, "content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["error"]["code"] == "INVALID_REQUEST"
    syntax = await padi.post("{ bumns { id }")
    assert syntax.status_code == 400
    assert syntax.json()["errors"][0]["extensions"]["code"] == "INVALID_QUERY"
    unknown = await padi.post("{ bumns { nope } }")
    assert unknown.status_code == 400
    wrong_type = await padi.post("query($s: Int!) { umkms(size: $s) { total } }", {"s": "lots"})
    assert wrong_type.status_code == 400
    no_query = await padi.http.post("/graphql", json={}, headers=padi.auth)
    assert no_query.status_code == 400
    missing = await padi.http.get("/nowhere")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_queries_by_get_work_and_mutations_by_get_do_not(padi) -> None:
    ok = await padi.http.get("/graphql", params={"query": "{ bumns { id } }"}, headers=padi.auth)
    assert ok.status_code == 200
    assert ok.json()["data"]["bumns"]
    mutation = await padi.http.get(
        "/graphql",
        params={"query": 'mutation { cancelPurchaseOrder(id: "PO-000001") { id } }'},
        headers=padi.auth,
    )
    assert mutation.status_code in (400, 405)


async def test_unexpected_failures_leak_nothing(padi, monkeypatch) -> None:
    async def broken(_session):
        raise RuntimeError("sqlite says: secret internals")

    monkeypatch.setattr(catalog, "all_bumns", broken)
    error = await padi.error("{ bumns { id } }")
    assert error["message"] == "internal error"
    assert error["extensions"] == {"code": "INTERNAL"}


async def test_committed_sdl_is_the_live_schema(padi) -> None:
    committed = (Path(__file__).parents[3] / "networks/padi/schema.graphql").read_text()
    served = await padi.http.get("/schema.graphql")
    assert served.status_code == 200
    assert served.text == committed == build_schema().as_str() + "\n"


async def test_faults_apply_and_can_be_lifted(padi) -> None:
    put = await padi.http.put("/admin/faults", json={"error_rate": 1}, headers=padi.admin)
    assert put.status_code == 200
    assert (await padi.post("{ bumns { id } }")).status_code == 500
    await padi.http.delete("/admin/faults", headers=padi.admin)
    assert (await padi.post("{ bumns { id } }")).status_code == 200


def _dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


async def test_same_seed_gives_the_same_database(tmp_path: Path) -> None:
    dumps = []
    for name in ("a", "b"):
        settings = PadiSettings(data_dir=tmp_path / name, products=120)
        async with in_process(create_app(settings)):
            pass
        dumps.append(_dump(settings.database))
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["products"]) == 120
