"""Organisations a client is bound to: global IDs of cooperatives, suppliers and BUMN."""

from __future__ import annotations

import base64
import binascii

ORGANIZATION_TYPES = frozenset({"Cooperative", "Supplier", "BUMN"})


class OrganizationError(ValueError):
    """Not the global ID of an organisation."""


def organization_type(global_id: str) -> str:
    """The type named by ``global_id`` (``Cooperative``, ``Supplier`` or ``BUMN``).

    Global IDs are ``Type:part:...`` in urlsafe base64 (``resolvers.ids``); BUMN has no
    node type in the graph yet, so the check is made here rather than there.
    """
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise OrganizationError(f"{global_id!r} is not a global ID") from None
    type_name, _, rest = raw.partition(":")
    if type_name not in ORGANIZATION_TYPES or not rest:
        raise OrganizationError(
            f"{global_id!r} is not the ID of a "
            f"{', '.join(sorted(ORGANIZATION_TYPES))} (it decodes to {raw[:40]!r})"
        )
    return type_name
