"""Opaque global IDs (Relay ``Node``): ``Type:part:part`` in urlsafe base64."""

from __future__ import annotations

import base64
import binascii

from federation.errors import InputError

NODE_TYPES = frozenset(
    {"Product", "Supplier", "Cooperative", "Network", "Order", "GroupBuy", "Rfq", "Quote", "Bumn"}
)
# Types whose IDs spell their name otherwise: tokens, RFQs and orders named BUMN
# ``BUMN:<PaDi id>`` before the graph had a ``Bumn`` type, and those IDs stay valid.
_SPELLED = {"Bumn": "BUMN"}
_SPELLED_BACK = {spelling: name for name, spelling in _SPELLED.items()}


def id_type(type_name: str) -> str:
    """How the global IDs of ``type_name`` spell it (``BUMN`` for a ``Bumn``)."""
    return _SPELLED.get(type_name, type_name)


def to_global_id(type_name: str, *parts: str) -> str:
    raw = ":".join((id_type(type_name), *parts)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, tuple[str, ...]]:
    """The type name and parts of a global ID; InputError when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InputError(f"{global_id!r} is not an ID this API issued") from None
    spelled, _, rest = raw.partition(":")
    type_name = _SPELLED_BACK.get(spelled, spelled)
    if type_name not in NODE_TYPES or id_type(type_name) != spelled or not rest:
        raise InputError(f"{global_id!r} is not an ID this API issued")
    return type_name, tuple(rest.split(":"))


def network_key(global_id: str, expected: str, argument: str) -> tuple[str, str]:
    """The (network, native id) an ``expected`` global ID names; InputError otherwise."""
    parts = decode_node(global_id, expected, argument)
    if len(parts) != 2:
        raise InputError(f"`{argument}` does not name a network's {expected}")
    return parts[0], parts[1]


def decode_node(global_id: str, expected: str, argument: str) -> tuple[str, ...]:
    """The parts of a global ID that must name an ``expected``; InputError otherwise."""
    type_name, parts = from_global_id(global_id)
    if type_name != expected:
        raise InputError(f"`{argument}` must be the ID of a {expected}, not of a {type_name}")
    return parts
