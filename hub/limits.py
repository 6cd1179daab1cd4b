"""Query limits as graphql-core validation rules: depth, cost, aliases, root fields, overlap.

``hub.documents`` runs them on every operation before it executes, whatever carried it,
so a query over a limit never reaches a resolver or a network:

====================  ========================================================
code                  limit
====================  ========================================================
QUERY_TOO_DEEP        fields on the longest path, leaves included: ``{ a { b } }`` is 2
QUERY_TOO_COMPLEX     cost: how many times fields resolve, at most (below); or a
                      document whose fields overlap so much that checking they can be
                      merged would itself be expensive (``OverlapBudget``)
TOO_MANY_ALIASES      aliased fields in the operation, fragments expanded
TOO_MANY_ROOT_FIELDS  fields in the operation's root selection set
====================  ========================================================

Cost: every field costs the number of times it may resolve. A field with a ``first``
argument returns pages of that size: its list-typed children resolve that many times
each. The size is what execution will read: the literal, or the variable's *coerced*
value (``100.0`` sent for an ``Int`` is 100), or the argument's default. Any other list
counts ``default_list_size`` items. ``first: 0`` counts as 1. Introspection (fields named
``__*`` and everything below them) is answered from memory: each of its fields counts
once, and ``ofType`` chains add no depth, so GraphiQL's introspection query passes while
nested introspection stays bounded by the depth limit.

The walk is iterative with a work budget, so fragment cycles and fragment "bombs" cannot
make the walk itself expensive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    ASTValidationRule,
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
    ValidationContext,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from graphql.language import VisitorAction
from graphql.language.visitor import BREAK

from hub.refusal import Refusal

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_ROOT_FIELDS = "TOO_MANY_ROOT_FIELDS"

# Selections the walk may visit per unit of max_cost (fragment spreads cost nothing).
VISITS_PER_COST = 4
# Pairs of same-named fields the spec's OverlappingFieldsCanBeMerged may compare: each
# costs microseconds, and their number grows with the square of repeated selections.
MAX_OVERLAP_PAIRS = 2000


@dataclass(frozen=True)
class QueryLimits:
    """The limits every operation must stay within."""

    max_depth: int = 10
    max_cost: int = 5000
    default_list_size: int = 10
    max_aliases: int = 20
    max_root_fields: int = 10


def limits_rule(
    limits: QueryLimits, variables: Mapping[str, Any], operation_name: str | None
) -> type[ASTValidationRule]:
    """A validation rule checking the operation to run against ``limits``, reading list
    sizes from the operation's coerced ``variables``."""

    class QueryLimitsRule(ASTValidationRule):
        def enter_operation_definition(
            self, node: OperationDefinitionNode, *_args: object
        ) -> VisitorAction:
            name = node.name.value if node.name else None
            if operation_name is not None and name != operation_name:
                return None
            context = self.context
            assert isinstance(context, ValidationContext)
            fragments = {
                d.name.value: d
                for d in context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            try:
                _Walk(context.schema, limits, fragments, node, variables).run()
            except Refusal as exceeded:  # the first limit crossed
                self.report_error(
                    GraphQLError(exceeded.message, node, extensions={"code": exceeded.code})
                )
                return BREAK
            return None

    return QueryLimitsRule


class OverlapBudget(ASTValidationRule):
    """Refuses documents whose repeated selections would make merging them expensive.

    The spec's OverlappingFieldsCanBeMerged compares every pair of fields that share a
    response name in a selection set, fragments' fields included: 500 copies of
    ``networks { code }`` are 125,000 comparisons (close to a second). This counts those
    pairs first, in one pass, and refuses past ``MAX_OVERLAP_PAIRS``.
    """

    def enter_document(self, node: DocumentNode, *_args: object) -> VisitorAction:
        fragments = {
            d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
        }
        names: dict[str, Counter[str]] = {}

        def fragment_names(name: str, seen: frozenset[str]) -> Counter[str]:
            if name in names:
                return names[name]
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                return Counter()
            found = response_names(fragment.selection_set, seen | {name})
            names[name] = found
            return found

        def response_names(selections: SelectionSetNode, seen: frozenset[str]) -> Counter[str]:
            found: Counter[str] = Counter()
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    found[(selection.alias or selection.name).value] += 1
                elif isinstance(selection, InlineFragmentNode):
                    found.update(response_names(selection.selection_set, seen))
                elif isinstance(selection, FragmentSpreadNode):
                    found.update(fragment_names(selection.name.value, seen))
            return found

        pairs = 0
        stack = [d.selection_set for d in node.definitions if hasattr(d, "selection_set")]
        while stack:
            selections = stack.pop()
            counts = response_names(selections, frozenset())
            pairs += sum(n * (n - 1) // 2 for n in counts.values())
            if pairs > MAX_OVERLAP_PAIRS:
                self.report_error(
                    GraphQLError(
                        "The document selects the same fields too many times: "
                        "select each field once.",
                        extensions={"code": QUERY_TOO_COMPLEX},
                    )
                )
                return BREAK
            stack.extend(_nested_selection_sets(selections))
        return None


def _nested_selection_sets(selections: SelectionSetNode) -> list[SelectionSetNode]:
    nested = []
    for selection in selections.selections:
        if (
            isinstance(selection, FieldNode | InlineFragmentNode)
            and selection.selection_set is not None
        ):
            nested.append(selection.selection_set)
    return nested


@dataclass(frozen=True)
class _Frame:
    selections: SelectionSetNode
    parent: GraphQLNamedType | None
    multiplier: int
    depth: int
    page: int | None
    fragments: frozenset[str]
    introspection: bool


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
        self.variables = variables
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
                    raise Refusal(
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
                raise Refusal(
                    TOO_MANY_ALIASES, f"The query uses more than {limits.max_aliases} aliases."
                )
        if frame.depth == 0:
            self.root_fields += 1
            if self.root_fields > limits.max_root_fields:
                raise Refusal(
                    TOO_MANY_ROOT_FIELDS,
                    f"The operation selects more than {limits.max_root_fields} root fields.",
                )
        introspection = frame.introspection or name.startswith("__")
        depth = frame.depth if introspection and name == "ofType" else frame.depth + 1
        if depth > limits.max_depth:
            raise Refusal(
                QUERY_TOO_DEEP, f"The query is nested deeper than {limits.max_depth} fields."
            )
        self.cost += frame.multiplier
        if self.cost > limits.max_cost:
            raise Refusal(
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
        """The page size a field asks for, as execution will read it."""
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
