"""``umkmsByNibs``: UMKM by their NIB from OSS, in one batch."""

from __future__ import annotations

QUERY = "query($nibs: [String!]!) { umkmsByNibs(nibs: $nibs) { id nib name verified } }"


async def test_umkms_by_nibs_answer_in_the_order_asked(padi) -> None:
    known = (await padi.gql("{ umkms(size: 3) { items { id nib } } }"))["umkms"]["items"]
    nibs = [known[1]["nib"], "0000000000000", known[0]["nib"], known[1]["nib"]]
    found = (await padi.gql(QUERY, {"nibs": nibs}))["umkmsByNibs"]
    assert [u and u["id"] for u in found] == [known[1]["id"], None, known[0]["id"], known[1]["id"]]
    assert found[0]["nib"] == known[1]["nib"]
    assert (await padi.gql(QUERY, {"nibs": []}))["umkmsByNibs"] == []


async def test_umkms_by_nibs_takes_at_most_100(padi) -> None:
    error = await padi.error(QUERY, {"nibs": [f"{n:013d}" for n in range(101)]})
    assert error["extensions"]["code"] == "INVALID_INPUT"
