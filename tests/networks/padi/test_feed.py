"""The product change feed and the admin product endpoints that drive it."""

from __future__ import annotations

CHANGES = """
query($since: Int!, $upTo: Int, $page: Int!, $size: Int!) {
  productChanges(since: $since, upTo: $upTo, page: $page, size: $size) {
    upTo total totalPages page items { version productId kind product { id price } }
  }
}
"""

NEW_PRODUCT = {
    "umkmId": "",
    "name": "Kopi Arabika Kintamani 250 g",
    "category": "kopi",
    "unit": "pak",
    "price": 85_000,
    "stock": 40,
    "minOrder": 1,
}


async def changes(padi, since: int, up_to: int | None, page: int, size: int) -> dict:
    variables = {"since": since, "upTo": up_to, "page": page, "size": size}
    return (await padi.gql(CHANGES, variables))["productChanges"]


async def an_umkm(padi) -> str:
    return (await padi.gql("{ umkms(size: 1) { items { id } } }"))["umkms"]["items"][0]["id"]


async def test_since_zero_is_a_full_load(padi) -> None:
    first = await changes(padi, 0, None, 1, 100)
    assert first["total"] == 120 == first["upTo"]
    assert {i["kind"] for i in first["items"]} == {"CHANGED"}


async def test_walking_pages_is_stable_while_changes_arrive(padi) -> None:
    umkm = await an_umkm(padi)
    first = await changes(padi, 0, None, 1, 7)
    up_to = first["upTo"]
    versions = [i["version"] for i in first["items"]]
    for page in range(2, first["totalPages"] + 1):
        body = {**NEW_PRODUCT, "umkmId": umkm, "name": f"Produk baru {page}"}
        put = await padi.http.put(f"/admin/products/BARU-{page}", json=body, headers=padi.admin)
        assert put.status_code == 201
        result = await changes(padi, 0, up_to, page, 7)
        assert result["upTo"] == up_to
        versions.extend(i["version"] for i in result["items"])
    assert versions == list(range(1, up_to + 1))
    later = await changes(padi, up_to, None, 1, 100)
    assert [i["productId"] for i in later["items"]] == [
        f"BARU-{page}" for page in range(2, first["totalPages"] + 1)
    ]


async def test_upsert_then_delete_shows_in_the_feed_and_hides_the_product(padi) -> None:
    umkm = await an_umkm(padi)
    head = (await changes(padi, 0, None, 1, 1))["upTo"]
    body = {**NEW_PRODUCT, "umkmId": umkm}
    created = await padi.http.put("/admin/products/PRD-BARU-1", json=body, headers=padi.admin)
    assert created.status_code == 201
    assert created.json()["umkmId"] == umkm
    updated = await padi.http.put(
        "/admin/products/PRD-BARU-1", json={**body, "price": 90_000}, headers=padi.admin
    )
    assert updated.status_code == 200
    assert (await padi.product("PRD-BARU-1"))["price"] == 90_000
    found = await padi.gql('{ searchProducts(filter: {text: "Kintamani"}) { total } }')
    assert found["searchProducts"]["total"] == 1

    deleted = await padi.http.delete("/admin/products/PRD-BARU-1", headers=padi.admin)
    assert deleted.status_code == 204
    assert await padi.product("PRD-BARU-1") is None
    gone = await padi.gql('{ searchProducts(filter: {text: "Kintamani"}) { total } }')
    assert gone["searchProducts"]["total"] == 0
    feed = await changes(padi, head, None, 1, 10)
    assert [(i["kind"], i["product"]) for i in feed["items"]] == [
        ("CHANGED", None),
        ("CHANGED", None),
        ("DELETED", None),
    ]
    again = await padi.http.delete("/admin/products/PRD-BARU-1", headers=padi.admin)
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "NOT_FOUND"

    revived = await padi.http.put("/admin/products/PRD-BARU-1", json=body, headers=padi.admin)
    assert revived.status_code == 200
    assert (await padi.product("PRD-BARU-1"))["price"] == 85_000


async def test_admin_product_refusals_write_nothing(padi) -> None:
    umkm = await an_umkm(padi)
    head = (await changes(padi, 0, None, 1, 1))["upTo"]
    body = {**NEW_PRODUCT, "umkmId": umkm}
    no_token = await padi.http.put("/admin/products/X-1", json=body)
    assert no_token.status_code == 401
    assert no_token.json()["error"]["code"] == "UNAUTHORIZED"
    graphql_token = await padi.http.put("/admin/products/X-1", json=body, headers=padi.auth)
    assert graphql_token.status_code == 401
    bad_json = await padi.http.put(
        "/admin/products/X-1",
        content=b"{",
        headers={**padi.admin, "content-type": "application/json"},
    )
    assert bad_json.status_code == 400
    negative = await padi.http.put(
        "/admin/products/X-1", json={**body, "price": -5}, headers=padi.admin
    )
    assert negative.status_code == 422
    assert negative.json()["error"]["details"][0]["field"] == "price"
    category = await padi.http.put(
        "/admin/products/X-1", json={**body, "category": "emas"}, headers=padi.admin
    )
    assert category.status_code == 422
    stranger = await padi.http.put(
        "/admin/products/X-1", json={**body, "umkmId": "UMKM-0"}, headers=padi.admin
    )
    assert stranger.status_code == 404
    assert (await changes(padi, 0, None, 1, 1))["upTo"] == head
    assert await padi.product("X-1") is None


async def test_feed_arguments_are_checked(padi) -> None:
    error = await padi.error("{ productChanges(since: 5, upTo: 2) { total } }")
    assert error["extensions"]["code"] == "INVALID_INPUT"
    error = await padi.error("{ productChanges(since: 0, size: 500) { total } }")
    assert error["extensions"]["code"] == "INVALID_INPUT"
