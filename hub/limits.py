"""Query limits: depth, cost, aliases and root fields, checked on the parsed document.

``QueryLimiter.check`` runs before execution, so a query over a limit never reaches a
network. It walks each operation once (iteratively, with a work budget, so fragment
cycles and fragment "bombs" cannot make the walk itself expensive) and refuses with the
first limit crossed:

====================  ========================================================
code                  limit
====================  ========================================================
QUERY_TOO_DEEP        fields on the longest path, leaves included: ``{ a { b } }`` is 2
QUERY_TOO_COMPLEX     cost: how many times fields resolve, at most (below)
TOO_MANY_ALIASES      aliased fields in the operation, fragments expanded
TOO_MANY_ROOT_FIELDS  fields in the operation's root selection set
====================  ========================================================

Cost: every field costs the number of times it may resolve. A field with a ``first``
argument (given, from a variable, or the schema's default) returns pages of that size:
its list-typed children resolve that many times each. Any other list counts
``default_list_size`` items. ``first: 0`` counts as 1. Introspection (fields named
``__*`` and everything below them) is answered from memory and never reaches a network:
each of its fields counts once, and ``ofType`` chains add no depth, so GraphiQL's
introspection query passes while nested introspection stays bounded by the depth limit.

A document that does not parse is left to GraphQL, which reports the syntax error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    VariableNode,
    get_named_type,
    get_nullable_type,
    parse,
)

from hub.requests import Refused

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_ROOT_FIELDS = "TOO_MANY_ROOT_FIELDS"

# Selections the walk may visit per unit of max_cost (fragment spreads cost nothing).
VISITS_PER_COST = 4
# Longer documents are parsed and measured every time: the caches stay small.
CACHED_CHARS = 16_384


@dataclass(frozen=True)
class QueryLimits:
    """The limits every operation must stay within."""

    max_depth: int = 10
    max_cost: int = 5000
    default_list_size: int = 10
    max_aliases: int = 20
    max_root_fields: int = 10


def _parse(query: str) -> DocumentNode | None:
    if len(query) <= CACHED_CHARS:
        return _cached_parse(query)
    return _parse_now(query)


def _parse_now(query: str) -> DocumentNode | None:
    try:
        return parse(query)
    except GraphQLError:
        return None


_cached_parse = lru_cache(maxsize=512)(_parse_now)


@dataclass(frozen=True)
class _Frame:
    selections: SelectionSetNode
    parent: GraphQLNamedType | None
    multiplier: int
    depth: int
    page: int | None
    fragments: frozenset[str]
    introspection: bool


class QueryLimiter:
    """Checks documents against ``limits`` for one schema."""

    def __init__(self, schema: GraphQLSchema, limits: QueryLimits) -> None:
        self.schema = schema
        self.limits = limits
        self._outcome = lru_cache(maxsize=1024)(self._measure)

    def check(
        self, query: str, operation_name: str | None, variables: Mapping[str, Any] | None
    ) -> None:
        """Raise ``Refused`` with the code of the first limit ``query`` crosses."""
        # Only integer variables can change the outcome (as page sizes): key on those.
        numbers = tuple(sorted((k, v) for k, v in (variables or {}).items() if type(v) is int))
        measure = self._outcome if len(query) <= CACHED_CHARS else self._measure
        refusal = measure(query, operation_name, numbers)
        if refusal is not None:
            raise Refused(*refusal)

    def _measure(
        self, query: str, operation_name: str | None, numbers: tuple[tuple[str, int], ...]
    ) -> tuple[str, str] | None:
        document = _parse(query)
        if document is None:
            return None
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        try:
            for operation in document.definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                name = operation.name.value if operation.name else None
                if operation_name is not None and name != operation_name:
                    continue
                _Walk(self.schema, self.limits, fragments, operation, dict(numbers)).run()
        except Refused as refusal:
            return refusal.code, refusal.message
        return None


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        limits: QueryLimits,
        fragments: Mapping[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.fragments = fragments
        self.operation = operation
        self.variables = dict(variables)
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in self.variables and isinstance(definition.default_value, IntValueNode):
                self.variables[name] = int(definition.default_value.value)
        self.cost = 0
        self.aliases = 0
        self.root_fields = 0
        self.visits = 0

    def run(self) -> None:
        root = self.schema.get_root_type(self.operation.operation)
        stack = [_Frame(self.operation.selection_set, root, 1, 0, None, frozenset(), False)]
        limits = self.limits
        budget = VISITS_PER_COST * limits.max_cost + 100
        while stack:
            frame = stack.pop()
            for selection in frame.selections.selections:
                self.visits += 1
                if self.visits > budget:
                    raise Refused(
                        QUERY_TOO_COMPLEX,
                        "The query expands to too many selections: simplify its fragments.",
                    )
                if isinstance(selection, FieldNode):
                    self._field(selection, frame, stack)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    parent = self.schema.get_type(condition.name.value) if condition else None
                    stack.append(
                        replace(
                            frame, selections=selection.selection_set, parent=parent or frame.parent
                        )
                    )
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is None or name in frame.fragments:
                        continue
                    parent = self.schema.get_type(fragment.type_condition.name.value)
                    stack.append(
                        replace(
                            frame,
                            selections=fragment.selection_set,
                            parent=parent or frame.parent,
                            fragments=frame.fragments | {name},
                        )
                    )

    def _field(self, node: FieldNode, frame: _Frame, stack: list[_Frame]) -> None:
        limits = self.limits
        name = node.name.value
        if node.alias is not None:
            self.aliases += 1
            if self.aliases > limits.max_aliases:
                raise Refused(
                    TOO_MANY_ALIASES,
                    f"The query uses more than {limits.max_aliases} aliases.",
                )
        if frame.depth == 0:
            self.root_fields += 1
            if self.root_fields > limits.max_root_fields:
                raise Refused(
                    TOO_MANY_ROOT_FIELDS,
                    f"The operation selects more than {limits.max_root_fields} root fields.",
                )
        introspection = frame.introspection or name.startswith("__")
        depth = frame.depth if introspection and name == "ofType" else frame.depth + 1
        if depth > limits.max_depth:
            raise Refused(
                QUERY_TOO_DEEP,
                f"The query is nested deeper than {limits.max_depth} fields.",
            )
        self.cost += frame.multiplier
        if self.cost > limits.max_cost:
            raise Refused(
                QUERY_TOO_COMPLEX,
                f"The query may resolve more than {limits.max_cost} fields "
                "(list sizes counted): ask for smaller pages or fewer fields.",
            )
        if node.selection_set is None:
            return
        definition = None
        if isinstance(frame.parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = frame.parent.fields.get(name)
        field_type = definition.type if definition is not None else None
        is_list = field_type is not None and isinstance(get_nullable_type(field_type), GraphQLList)
        first = self._first(node, definition) if definition is not None else None
        if introspection:
            size = 1
        elif is_list:
            size = frame.page or first or limits.default_list_size
        else:
            size = 1
        stack.append(
            _Frame(
                node.selection_set,
                get_named_type(field_type) if field_type is not None else None,
                frame.multiplier * max(size, 1),
                depth,
                None if is_list or introspection else first,
                frame.fragments,
                introspection,
            )
        )

    def _first(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """The page size a field asks for: ``first`` given, from a variable, or by default."""
        argument = definition.args.get("first")
        if argument is None:
            return None
        value: Any = Undefined
        for given in node.arguments or ():
            if given.name.value != "first":
                continue
            if isinstance(given.value, IntValueNode):
                value = int(given.value.value)
            elif isinstance(given.value, VariableNode):
                value = self.variables.get(given.value.name.value, Undefined)
            else:
                value = None
        if value is Undefined:
            value = argument.default_value
        if isinstance(value, int) and not isinstance(value, bool):
            return max(value, 1)
        return self.limits.default_list_size
