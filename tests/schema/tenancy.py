"""The schema walk behind the tenant tests: every root field's access rule, the arguments
that name an organisation, and requests made up from them (not tests themselves)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)

from resolvers import access
from resolvers.ids import NODE_TYPES, to_global_id

# An ID argument names an organisation when its name or its description says so.
_ORG_NAME = re.compile(
    r"(buyer|participant|coordinator|cooperative|supplier|organi[sz]ation|org|bumn|member"
    r"|seller|owner|tenant)(ids?)?$",
    re.IGNORECASE,
)
_ORG_TEXT = re.compile(r"cooperative|supplier|bumn|organi[sz]ation", re.IGNORECASE)


@dataclass(frozen=True)
class RootField:
    """One root field of the schema, with the rule its guard carries (None: no guard)."""

    operation: str  # query, mutation or subscription
    name: str
    field: GraphQLField
    rules: tuple[access.Rule, ...]

    @property
    def label(self) -> str:
        return f"{self.operation}.{self.name}"

    @property
    def rule(self) -> access.Rule:
        assert len(self.rules) == 1, f"{self.label} has {len(self.rules)} access rules"
        return self.rules[0]


def root_fields(schema: GraphQLSchema) -> list[RootField]:
    """Every root field of Query, Mutation and Subscription."""
    found = []
    for operation, root in (
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
        ("subscription", schema.subscription_type),
    ):
        for name, field in (root.fields if root is not None else {}).items():
            definition = (field.extensions or {}).get("strawberry-definition")
            extensions = getattr(definition, "extensions", ())
            rules = tuple(e.rule for e in extensions if isinstance(e, access.Guard))
            found.append(RootField(operation, name, field, rules))
    return found


def argument_paths(field: GraphQLField) -> dict[str, str]:
    """Every ID-typed argument path of ``field`` (into input objects) with its description."""
    found: dict[str, str] = {}
    for name, argument in field.args.items():
        found.update(_id_paths(name, argument.type, argument.description or "", set()))
    return found


def _id_paths(
    path: str, type_: GraphQLInputType, description: str, seen: set[str]
) -> Iterator[tuple[str, str]]:
    named = get_named_type(type_)
    if isinstance(named, GraphQLInputObjectType):
        if named.name in seen:
            return
        for name, field in named.fields.items():
            yield from _id_paths(
                f"{path}.{name}", field.type, field.description or "", seen | {named.name}
            )
    elif isinstance(named, GraphQLScalarType) and named.name == "ID":
        yield path, description


def organisation_paths(field: GraphQLField) -> set[str]:
    """The argument paths of ``field`` that name an organisation."""
    return {
        path
        for path, description in argument_paths(field).items()
        if _ORG_NAME.search(path.rsplit(".", 1)[-1]) or _ORG_TEXT.search(description)
    }


def node_types(schema: GraphQLSchema) -> set[str]:
    """The object types ``node``/``nodes`` may return: every implementation of Node."""
    node = schema.type_map.get("Node")
    if not isinstance(node, GraphQLInterfaceType):
        return set(NODE_TYPES)
    return {t.name for t in schema.get_implementations(node).objects} | set(NODE_TYPES)


def problems(schema: GraphQLSchema) -> list[str]:
    """What the walk finds without an access rule; empty when every part has one."""
    found = []
    for root in root_fields(schema):
        if len(root.rules) != 1:
            found.append(f"{root.label}: {len(root.rules)} access rules, not one")
            continue
        rule = root.rule
        declared = set(rule.own) | rule.public_paths
        for path in sorted(organisation_paths(root.field) - declared):
            found.append(f"{root.label}({path}) names an organisation without a rule")
        for path in sorted(declared - set(argument_paths(root.field))):
            found.append(f"{root.label}: its rule names {path}, which is no ID argument")
    for name in sorted(node_types(schema) - set(access.NODE_RULES)):
        found.append(f"node type {name} has no access rule")
    return found


# ---- requests made up from the walk -----------------------------------------------------


def organisation(path_description: str, which: str) -> str:
    """Organisation ``which`` (A, B) of the kind an argument's description asks for."""
    if "BUMN" in path_description:
        return to_global_id("BUMN", f"BUMN-{which}")
    if "Supplier" in path_description:
        return to_global_id("Supplier", f"910000000000{ord(which) % 10}")
    return to_global_id("Cooperative", "sejuk", f"K-{which}")


def request(root: RootField, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """An operation on ``root`` with its required arguments filled in and ``values`` (by
    argument path) set, selecting only ``__typename``; with its variables."""
    variables: dict[str, Any] = {}
    for name, argument in root.field.args.items():
        wanted = {p: v for p, v in values.items() if p == name or p.startswith(f"{name}.")}
        if isinstance(argument.type, GraphQLNonNull) or wanted:
            variables[name] = _value(argument.type, name, wanted)
    declared = ", ".join(f"${n}: {root.field.args[n].type}" for n in variables)
    passed = ", ".join(f"{n}: ${n}" for n in variables)
    returned = get_named_type(root.field.type)
    selection = " { __typename }" if isinstance(returned, GraphQLObjectType) else ""
    head = f"{root.operation}({declared})" if variables else root.operation
    call = f"{root.name}({passed})" if variables else root.name
    return f"{head} {{ {call}{selection} }}", variables


def _value(type_: GraphQLInputType, path: str, wanted: dict[str, Any]) -> Any:
    if path in wanted:
        return wanted[path]
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, path, wanted)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type, path, wanted)]
    if isinstance(type_, GraphQLInputObjectType):
        made = {}
        for name, field in type_.fields.items():
            inner = f"{path}.{name}"
            deeper = any(p == inner or p.startswith(f"{inner}.") for p in wanted)
            if deeper or isinstance(field.type, GraphQLNonNull):
                made[name] = _value(field.type, inner, wanted)
        return made
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    return _SCALARS.get(type_.name, "x") if isinstance(type_, GraphQLScalarType) else "x"


_SCALARS: dict[str, Any] = {
    "ID": to_global_id("Product", "sejuk", "1"),
    "Int": 1,
    "Long": 1,
    "Float": 1.0,
    "Boolean": False,
    "DateTime": "2030-01-01T00:00:00+07:00",
    "Date": "2030-01-01",
    "JSON": {},
}
