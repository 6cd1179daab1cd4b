"""PaDi caches parsing and validation: a repeated document is parsed and validated once."""

from __future__ import annotations

import uuid

import pytest
import strawberry.schema.schema
from graphql.language.parser import Parser


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """Every document parsed and validated from now on."""
    seen: dict[str, list[object]] = {"parsed": [], "validated": []}
    parse_document = Parser.parse_document
    validate = strawberry.schema.schema.validate

    def counting_parse(self: Parser):  # type: ignore[no-untyped-def]
        document = parse_document(self)
        seen["parsed"].append(document)
        return document

    def counting_validate(schema, document, rules):  # type: ignore[no-untyped-def]
        seen["validated"].append(document)
        return validate(schema, document, rules)

    monkeypatch.setattr(Parser, "parse_document", counting_parse)
    monkeypatch.setattr(strawberry.schema.schema, "validate", counting_validate)
    return seen


async def test_a_repeated_query_is_parsed_and_validated_once(padi, counted) -> None:
    # A comment makes the text unique, so no earlier test filled the cache with it.
    query = f"# {uuid.uuid4()}\nquery($size: Int!) {{ searchProducts(size: $size) {{ total items {{ id }} }} }}"
    first = await padi.gql(query, {"size": 3})
    second = await padi.gql(query, {"size": 5})
    assert len(first["searchProducts"]["items"]) == 3
    assert len(second["searchProducts"]["items"]) == 5
    assert len(counted["parsed"]) == 1
    assert len(counted["validated"]) == 1


async def test_limits_still_refuse_a_cached_document(padi) -> None:
    aliases = "{ " + " ".join(f"a{n}: __typename" for n in range(60)) + " }"
    for _ in range(2):  # the second answer comes from the validation cache
        response = await padi.post(aliases)
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_QUERY"
