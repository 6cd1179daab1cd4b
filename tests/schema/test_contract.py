"""The public contract: the SDL partner apps rely on, documented field by field."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLScalarType, GraphQLUnionType

from schema import build_schema

SNAPSHOT = Path(__file__).parents[2] / "schema" / "schema.graphql"
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def test_the_schema_matches_the_committed_sdl() -> None:
    # A change to the public API must be deliberate: `hub schema > schema/schema.graphql`.
    assert build_schema().as_str() + "\n" == SNAPSHOT.read_text()


def test_every_type_field_and_argument_has_a_description() -> None:
    missing = []
    for name, graphql_type in build_schema()._schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLEnumType | GraphQLScalarType | GraphQLUnionType):
            continue  # no fields of their own
        for field_name, field in graphql_type.fields.items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
            for arg_name, arg in getattr(field, "args", {}).items():
                if not arg.description:
                    missing.append(f"{name}.{field_name}({arg_name})")
    assert missing == []


def test_the_contract_names_are_there() -> None:
    sdl = SNAPSHOT.read_text()
    for name in (
        "search(",
        "suppliers(",
        "cooperatives(",
        "node(",
        "nodes(",
        "networks: [Network!]!",
        "interface Node",
        "type Money",
        "type Region",
        "enum NetworkStatus",
    ):
        assert name in sdl, name
