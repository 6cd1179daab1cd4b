"""Organisations a client is bound to: cooperatives, suppliers and BUMN, by global ID.

An organisation is named by its global ID (``resolvers.ids``: ``Type:part:...`` in urlsafe
base64), or, for operators typing it, by the decoded form (``Bumn:BUMN-PANGAN``,
``Cooperative:sejuk:1``, ``Supplier:9100000000236``). :func:`parse_organization` checks
the shape; :func:`find_organization` asks the networks whether it exists, so a client is
never bound to an organisation nobody has (``hub clients create``).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import Enum

from connectors.errors import ConnectorError
from connectors.padi.procurement import PadiProcurement, procurement_of
from connectors.records import CooperativeQuery, SupplierQuery
from federation.hub import Federation
from resolvers.ids import id_type, to_global_id

_NIB = re.compile(r"\d{13}")
HINT = (
    "list them with `hub orgs list --kind cooperative|bumn|supplier`, or the "
    "`cooperatives`, `bumns` and `suppliers` queries"
)


class OrganizationKind(Enum):
    """The kinds of organisation a client may act for: the graph's ``Organization``
    members, each with how many parts its ID has after the type."""

    COOPERATIVE = "Cooperative"
    BUMN = "Bumn"
    SUPPLIER = "Supplier"

    @property
    def parts(self) -> int:
        """Parts after the type: a cooperative is its network's (network, id)."""
        return 2 if self is OrganizationKind.COOPERATIVE else 1


# How each kind's global ID spells its type: a Bumn's reads ``BUMN:``.
_ID_TYPE = {kind: id_type(kind.value) for kind in OrganizationKind}
_BY_TYPE = {spelling.lower(): kind for kind, spelling in _ID_TYPE.items()} | {
    kind.value.lower(): kind for kind in OrganizationKind
}
KINDS = ", ".join(kind.value for kind in OrganizationKind)
ORGANIZATION_TYPES = frozenset(_ID_TYPE.values())


class OrganizationError(ValueError):
    """Not an organisation a client may be bound to; ``code`` says why, as the graph's
    error codes do: BAD_USER_INPUT (malformed), NOT_FOUND (nobody has it) or
    NETWORK_UNAVAILABLE (the network that would know did not answer)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class OrganizationRef:
    """An organisation's ID, checked for shape: its kind and parts."""

    kind: OrganizationKind
    parts: tuple[str, ...]

    @property
    def global_id(self) -> str:
        """The ID tokens carry and the graph answers with."""
        return to_global_id(self.kind.value, *self.parts)

    @property
    def readable(self) -> str:
        return ":".join((self.kind.value, *self.parts))


@dataclass(frozen=True)
class Organization:
    """An organisation a network lists."""

    ref: OrganizationRef
    name: str
    network: str
    region_code: str


def parse_organization(text: str, *, decoded: bool = True) -> OrganizationRef:
    """The organisation ``text`` names: a global ID or (``decoded``) its decoded form.

    ``OrganizationError`` (BAD_USER_INPUT) for anything else, naming the kinds that exist.
    """
    text = text.strip()
    if decoded and ":" in text:  # base64 has no colon: an operator typed the decoded form
        raw = text
    else:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise _malformed(f"{text!r} is not a global ID") from None
    type_name, _, rest = raw.partition(":")
    kind = _BY_TYPE.get(type_name.lower())
    if kind is None or not rest:
        raise _malformed(f"{text!r} is not the ID of an organisation (it reads {raw[:40]!r})")
    parts = tuple(rest.split(":"))
    if len(parts) != kind.parts or not all(parts):
        shape = "Cooperative:<network>:<id>" if kind.parts == 2 else f"{kind.value}:<id>"
        raise _malformed(f"{text!r}: a {kind.value} ID reads {shape}")
    if kind is OrganizationKind.SUPPLIER and not _NIB.fullmatch(parts[0]):
        raise _malformed(f"{text!r}: a Supplier is named by its 13-digit NIB")
    return OrganizationRef(kind, parts)


def organization_type(global_id: str) -> str:
    """The type as ``global_id`` spells it (``Cooperative``, ``Supplier`` or ``BUMN``);
    ``OrganizationError`` when it is no organisation's ID."""
    return _ID_TYPE[parse_organization(global_id, decoded=False).kind]


def _malformed(message: str) -> OrganizationError:
    return OrganizationError("BAD_USER_INPUT", f"{message}. Organisations are {KINDS}; {HINT}")


def padi_of(federation: Federation) -> PadiProcurement | None:
    """The PaDi network's procurement, where BUMN buyers are listed; None without one."""
    return next((p for c in federation.connectors if (p := procurement_of(c)) is not None), None)


async def find_organization(federation: Federation, ref: OrganizationRef) -> Organization:
    """The organisation ``ref`` names, as its network lists it now.

    ``OrganizationError``: NOT_FOUND when no network has it, NETWORK_UNAVAILABLE when the
    network that would know did not answer.
    """
    try:
        if ref.kind is OrganizationKind.BUMN:
            padi = padi_of(federation)
            if padi is None:
                raise _absent(ref, "this hub has no PaDi network, where BUMN buyers are listed")
            bumn = next((b for b in await padi.bumns() if b.id == ref.parts[0]), None)
            if bumn is None:
                raise _absent(ref, f"no BUMN {ref.parts[0]!r} buys on PaDi")
            return Organization(ref, bumn.name, padi.network, bumn.region_code)
        if ref.kind is OrganizationKind.COOPERATIVE:
            network, native_id = ref.parts
            connector = federation.by_code.get(network)
            if connector is None:
                known = ", ".join(federation.codes)
                raise _absent(ref, f"no network {network!r} in this hub (it has {known})")
            coop = (await connector.get_cooperatives([native_id])).get(native_id)
            if coop is None:
                raise _absent(ref, f"{network} has no cooperative {native_id!r}")
            return Organization(ref, coop.name, network, coop.region_code)
    except ConnectorError as error:
        raise _unavailable(error.network, error.message) from None
    nib = ref.parts[0]
    fan = await federation.fan_out(lambda c: c.find_suppliers_by_nib([nib]))
    for code in federation.codes:
        found = fan.values().get(code, {}).get(nib)
        if found is not None:
            return Organization(ref, found.name, code, found.region_code)
    if fan.failures:
        failed = fan.failures[0]
        raise _unavailable(failed.code, failed.message or "no answer")
    raise _absent(ref, f"no network lists a supplier with NIB {nib}")


def _absent(ref: OrganizationRef, why: str) -> OrganizationError:
    return OrganizationError(
        "NOT_FOUND", f"{ref.readable} does not exist: {why}. Organisations are {KINDS}; {HINT}"
    )


def _unavailable(network: str, message: str) -> OrganizationError:
    return OrganizationError(
        "NETWORK_UNAVAILABLE",
        f"cannot check the organisation: network {network} did not answer ({message}); "
        "nothing was written, try again once it is back",
    )


async def list_organizations(
    federation: Federation, kind: OrganizationKind, *, text: str | None, limit: int
) -> list[Organization]:
    """Up to ``limit`` organisations of ``kind`` per network (BUMN: PaDi's), by name
    words ``text``. ``OrganizationError`` (NETWORK_UNAVAILABLE) when a network fails."""
    words = (text or "").lower()
    try:
        if kind is OrganizationKind.BUMN:
            padi = padi_of(federation)
            if padi is None:
                return []
            return [
                Organization(OrganizationRef(kind, (b.id,)), b.name, padi.network, b.region_code)
                for b in await padi.bumns()
                if words in f"{b.id} {b.name}".lower()
            ][:limit]
        found: list[Organization] = []
        for connector in federation.connectors:
            size = min(limit, connector.capabilities.max_page_size)
            if kind is OrganizationKind.COOPERATIVE:
                coops = await connector.search_cooperatives(CooperativeQuery(text=text), None, size)
                found += [
                    Organization(
                        OrganizationRef(kind, (c.network, c.id)), c.name, c.network, c.region_code
                    )
                    for c in coops.items
                ]
            else:
                suppliers = await connector.search_suppliers(SupplierQuery(text=text), None, size)
                seen = {o.ref.parts for o in found}
                found += [
                    Organization(OrganizationRef(kind, (s.nib,)), s.name, s.network, s.region_code)
                    for s in suppliers.items
                    if (s.nib,) not in seen
                ]
        return found
    except ConnectorError as error:
        raise OrganizationError(
            "NETWORK_UNAVAILABLE", f"network {error.network} did not answer ({error.message})"
        ) from None
