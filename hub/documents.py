"""GraphQL documents as the hub takes them: parsed within bounds, validated with the query
limits, and remembered within a byte budget.

``DocumentPolicy`` is a schema extension, so every operation the schema runs passes it,
whatever transport carried it (HTTP, a batch, a WebSocket ``subscribe``). It replaces
strawberry's own parsing and validation:

1. **Bounded parsing.** A document is refused while it is read, so refusing costs at
   most the bound's worth of work, never the whole document's:

   ========================  ==============================================
   code                      bound
   ========================  ==============================================
   QUERY_TOO_LARGE           characters (``max_query_chars``), before lexing
   TOO_MANY_TOKENS           lexical tokens, comments included (``max_tokens``)
   TOO_MANY_FIELDS           field selections (``max_fields``)
   TOO_MANY_DIRECTIVES       directives (``max_directives``)
   GRAPHQL_PARSE_FAILED      a syntax error
   ========================  ==============================================

2. **Validation**: ``hub.limits.OverlapBudget`` first (it keeps the spec's quadratic
   overlap check cheap), then the spec's rules (``GRAPHQL_VALIDATION_FAILED``; without
   introspection, no "did you mean" suggestions and no introspection fields), then
   ``hub.limits``' depth, alias, root-field and cost limits over the variables as
   execution will coerce them (each with its own code).

Parsed documents and their validation outcome are remembered by query text in one LRU
cache bounded in bytes (``cache_bytes``, each entry sized by its text and tokens); the
cost check depends on the variables and runs every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cachetools import LRUCache
from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    get_operation_ast,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.language.parser import Parser
from strawberry.extensions import SchemaExtension

from hub.limits import OverlapBudget, QueryLimits, limits_rule
from hub.refusal import Refusal

QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
TOO_MANY_FIELDS = "TOO_MANY_FIELDS"
TOO_MANY_DIRECTIVES = "TOO_MANY_DIRECTIVES"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"

_LimitsKey = tuple[int, str | None, tuple[tuple[str, int], ...]]

# What one parsed token keeps alive in memory (its AST node share and location), roughly;
# measured on the hub's own queries at 300-500 bytes.
BYTES_PER_TOKEN = 512


@dataclass(frozen=True)
class DocumentBounds:
    """How large a document the hub reads."""

    max_chars: int = 32_768
    max_tokens: int = 1000
    max_fields: int = 250
    max_directives: int = 50


@dataclass(frozen=True)
class _Checked:
    """A query text's parse and (variable-free) validation outcome."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    size: int


@dataclass(frozen=True)
class _Limited:
    """The query limits' outcome for a document and its page sizes."""

    document: DocumentNode
    errors: tuple[GraphQLError, ...]
    size: int


def _size_of(document: DocumentNode) -> int:
    """Roughly what a parsed document keeps alive, in bytes."""
    tokens: int = getattr(document, "token_count", 0)
    return tokens * BYTES_PER_TOKEN


class _BoundedParser(Parser):
    """graphql-core's parser, counting fields and directives as it builds them."""

    def __init__(self, source: str, bounds: DocumentBounds) -> None:
        super().__init__(source, max_tokens=bounds.max_tokens)
        self.bounds = bounds
        self.fields = 0
        self.directives = 0

    def parse_field(self) -> FieldNode:
        self.fields += 1
        if self.fields > self.bounds.max_fields:
            raise Refusal(
                TOO_MANY_FIELDS,
                f"The document selects more than {self.bounds.max_fields} fields.",
            )
        return super().parse_field()

    def parse_directive(self, is_const: bool) -> DirectiveNode:
        self.directives += 1
        if self.directives > self.bounds.max_directives:
            raise Refusal(
                TOO_MANY_DIRECTIVES,
                f"The document uses more than {self.bounds.max_directives} directives.",
            )
        return super().parse_directive(is_const)


def parse_bounded(query: str, bounds: DocumentBounds) -> DocumentNode:
    """``query`` parsed within ``bounds``; a ``GraphQLError`` with its code otherwise."""
    if len(query) > bounds.max_chars:
        raise _coded(QUERY_TOO_LARGE, f"The document is longer than {bounds.max_chars} characters.")
    parser = _BoundedParser(query, bounds)
    try:
        return parser.parse_document()
    except Refusal as refused:
        raise _coded(refused.code, refused.message) from None
    except GraphQLSyntaxError as error:
        # graphql-core's lexer refuses a run of comments past the limit itself.
        if parser.token_count > bounds.max_tokens or error.message.startswith(
            "Syntax Error: Document contains more than"
        ):
            raise _coded(
                TOO_MANY_TOKENS, f"The document has more than {bounds.max_tokens} tokens."
            ) from None
        raise GraphQLError(
            error.message,
            source=error.source,
            positions=error.positions,
            extensions={"code": GRAPHQL_PARSE_FAILED},
        ) from None
    except RecursionError:
        raise _coded(GRAPHQL_PARSE_FAILED, "The document is nested too deeply.") from None


def _coded(code: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


class Documents:
    """Parses and validates documents for one schema, remembering outcomes by text."""

    def __init__(
        self,
        *,
        bounds: DocumentBounds,
        limits: QueryLimits,
        introspection: bool,
        cache_bytes: int,
    ) -> None:
        self.bounds = bounds
        self.limits = limits
        self.introspection = introspection
        self.rules = (
            specified_rules
            if introspection
            else (*specified_rules, NoSchemaIntrospectionCustomRule)
        )
        self._cache: LRUCache[str, _Checked] = LRUCache(
            maxsize=cache_bytes, getsizeof=lambda checked: checked.size
        )
        # The limits' outcome by document and page sizes, within the same byte budget;
        # each entry keeps its document alive, so an id is never reused while it stands.
        self._limits: LRUCache[_LimitsKey, _Limited] = LRUCache(
            maxsize=cache_bytes, getsizeof=lambda limited: limited.size
        )

    @property
    def cached_bytes(self) -> int:
        """Bytes the cache holds, as counted against ``cache_bytes``."""
        return int(self._cache.currsize)

    def checked(self, schema: GraphQLSchema, query: str) -> _Checked:
        """The document for ``query`` and its validation errors (variables aside)."""
        found = self._cache.get(query)
        if found is not None:
            return found
        try:
            document = parse_bounded(query, self.bounds)
        except GraphQLError as error:
            return _Checked(None, (error,), 0)  # never cached: refusing is already cheap
        errors = validate(schema, document, [OverlapBudget])
        if not errors:
            errors = [
                _validation_failed(error)
                for error in validate(
                    schema, document, self.rules, hide_suggestions=not self.introspection
                )
            ]
        checked = _Checked(document, tuple(errors), len(query) + _size_of(document))
        if checked.size <= self._cache.maxsize:
            self._cache[query] = checked
        return checked

    def limit_errors(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, object] | None,
    ) -> list[GraphQLError]:
        """The query limits' errors for the operation to run with ``variables``."""
        operation = get_operation_ast(document, operation_name)
        if not isinstance(operation, OperationDefinitionNode):
            return []  # execution reports the unknown operation
        coerced = get_variable_values(
            schema,
            operation.variable_definitions or (),
            dict(variables or {}),
            max_errors=1,
            hide_suggestions=not self.introspection,
        )
        if isinstance(coerced, list):
            return []  # execution refuses variables that do not coerce, before any resolver
        # Only whole numbers can change the outcome (as page sizes): remember it by those.
        numbers = tuple(sorted((k, v) for k, v in coerced.coerced.items() if type(v) is int))
        key = (id(document), operation_name, numbers)
        found = self._limits.get(key)
        if found is None:
            rule = limits_rule(self.limits, coerced.coerced, operation_name)
            errors = tuple(validate(schema, document, [rule]))
            found = _Limited(document, errors, _size_of(document))
            if found.size <= self._limits.maxsize:
                self._limits[key] = found
        return list(found.errors)

    def extension(self) -> Callable[[], SchemaExtension]:
        """A schema extension factory that parses and validates through these documents."""
        return lambda: DocumentPolicy(self)


def _validation_failed(error: GraphQLError) -> GraphQLError:
    if error.extensions and "code" in error.extensions:
        return error
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        extensions={"code": GRAPHQL_VALIDATION_FAILED},
    )


class DocumentPolicy(SchemaExtension):
    """Parsing and validation through ``Documents``, for every operation the schema runs."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.graphql_document is None and execution.query:
            checked = self.documents.checked(execution.schema._schema, execution.query)
            if checked.document is None:
                raise checked.errors[0]
            execution.graphql_document = checked.document
        yield

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        if document is not None and execution.query:
            schema = execution.schema._schema
            errors = list(self.documents.checked(schema, execution.query).errors)
            if not errors:
                errors = self.documents.limit_errors(
                    schema, document, execution.operation_name, execution.variables
                )
            # Set, even when empty: strawberry then skips its own validation.
            execution.pre_execution_errors = errors
        yield
