"""A schema extension that writes one audit entry per mutation, after it ran."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from hub.audit.log import AuditEntry, AuditLog
from resolvers.context import Context

log = logging.getLogger("hub.audit")


class AuditMutations(SchemaExtension):
    """Records client, organisation, operation, variables (secrets removed) and outcome."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        execution = self.execution_context
        if execution.operation_type is not OperationType.MUTATION:
            return
        context = execution.context
        if not isinstance(context, Context) or context.request is None:
            return
        audit: AuditLog | None = getattr(context.request.app.state, "audit", None)
        if audit is None:
            return
        errors = execution.result.errors if execution.result is not None else None
        first = errors[0] if errors else None
        principal = context.principal
        entry = AuditEntry(
            client_id=principal.client_id if principal else None,
            organization=principal.organization if principal else None,
            operation=execution.operation_name or _root_fields(execution.query or ""),
            variables=dict(execution.variables or {}),
            outcome=str((first.extensions or {}).get("code", "ERROR")) if first else "ok",
            message=first.message if first else None,
        )
        try:
            await audit.record(entry)
        except Exception:  # the answer must not fail because the log did; say so loudly
            log.exception("could not write the audit entry for %s", entry.operation)


def _root_fields(query: str) -> str:
    """A name for an anonymous mutation: its text, shortened."""
    return " ".join(query.split())[:200]
