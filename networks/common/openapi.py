"""OpenAPI 3.1 documents for the REST networks, built from their pydantic models.

Each network lists its operations once; the same models validate requests and shape
responses, so the document cannot drift from what the server does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

_PATH_PARAM = re.compile(r"\{(\w+)\}")
_REF = "#/components/schemas/{model}"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    response: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    status: int = 200
    headers: tuple[tuple[str, str, bool], ...] = ()  # name, description, required
    tags: tuple[str, ...] = ()
    secured: bool = True
    content_type: str = "application/json"


def build_openapi(
    *,
    title: str,
    version: str,
    description: str,
    operations: list[Operation],
    security_scheme: dict[str, Any],
    error_model: type[BaseModel],
) -> dict[str, Any]:
    """The OpenAPI 3.1 document for ``operations``."""
    models: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [
        (error_model, "serialization")
    ]
    for op in operations:
        if op.body is not None:
            models.append((op.body, "validation"))
        if op.response is not None:
            models.append((op.response, "serialization"))
    _, schema = models_json_schema(models, ref_template=_REF)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, error_model)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {
            "schemas": schema.get("$defs", {}),
            "securitySchemes": {"default": security_scheme},
        },
    }


def _operation(op: Operation, error_model: type[BaseModel]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(op.path)
    ]
    parameters += [
        {
            "name": name,
            "in": "header",
            "required": required,
            "description": text,
            "schema": {"type": "string"},
        }
        for name, text, required in op.headers
    ]
    if op.query is not None:
        query_schema = op.query.model_json_schema()
        required = set(query_schema.get("required", []))
        for name, prop in query_schema.get("properties", {}).items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in required,
                    "description": prop.get("description", ""),
                    "schema": {k: v for k, v in prop.items() if k != "description"},
                }
            )
    error = {
        "description": "error",
        "content": {
            "application/json": {"schema": {"$ref": _REF.format(model=error_model.__name__)}}
        },
    }
    success: dict[str, Any] = {"description": op.summary}
    if op.response is not None:
        success["content"] = {
            op.content_type: {"schema": {"$ref": _REF.format(model=op.response.__name__)}}
        }
    elif op.content_type != "application/json":
        success["content"] = {op.content_type: {"schema": {"type": "string"}}}
    result: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": list(op.tags),
        "parameters": parameters,
        "responses": {str(op.status): success, "4XX": error, "5XX": error},
    }
    if op.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": _REF.format(model=op.body.__name__)}}
            },
        }
    if op.secured:
        result["security"] = [{"default": []}]
    else:
        result["security"] = []
    return result
