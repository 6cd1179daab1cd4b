"""Canonical records: what every network's data looks like once it reaches the hub.

Plain frozen dataclasses, no GraphQL and no network field names. Ids are the network's
own, as strings; money is integer rupiah; regions are Kemendagri codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Scale(StrEnum):
    """UMKM scale under PP 7/2021, plus large enterprises."""

    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"
    BESAR = "besar"


class CertificationKind(StrEnum):
    HALAL = "halal"
    SNI = "sni"
    PIRT = "pirt"
    BPOM = "bpom"


@dataclass(frozen=True, slots=True)
class Certification:
    kind: CertificationKind
    number: str | None = None


@dataclass(frozen=True, slots=True)
class PriceTier:
    """A wholesale tier: from ``min_quantity`` units on, each costs ``unit_price``."""

    min_quantity: int
    unit_price: int


@dataclass(frozen=True, slots=True)
class ProductRecord:
    network: str
    id: str
    name: str
    category: str  # catalog slug, e.g. "beras", "minyak-goreng"
    unit: str
    price: int  # rupiah per unit
    stock: int | None  # None: the network does not know
    min_order: int
    supplier_id: str  # the same network's supplier id
    region_code: str
    description: str = ""
    tiers: tuple[PriceTier, ...] = ()


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    network: str
    id: str
    nib: str
    name: str
    region_code: str
    kbli: tuple[str, ...]
    scale: Scale
    certifications: tuple[Certification, ...] = ()
    verified: bool | None = None  # NIB checked with OSS, where the network says
    partner_cooperative_ids: tuple[str, ...] = ()  # JUK partnerships (same network)


@dataclass(frozen=True, slots=True)
class CooperativeRecord:
    network: str
    id: str
    name: str
    type: str  # konsumen | produsen | serba_usaha | simpan_pinjam | pesantren
    region_code: str
    member_count: int | None = None
    address: str = ""


@dataclass(frozen=True, slots=True)
class PartnershipRecord:
    """A JUK partnership: a cooperative's MoU with a (large) supplier of the same network."""

    network: str
    mou_number: str
    cooperative_id: str
    supplier_id: str
    categories: tuple[str, ...]  # catalog slugs the MoU covers
    valid_from: str  # ISO date
    valid_until: str


@dataclass(frozen=True, slots=True)
class ProductQuery:
    text: str | None = None
    category: str | None = None
    region_code: str | None = None  # a code or a prefix: "32" is all of Jawa Barat
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None  # True: stock > 0 or unknown
    supplier_id: str | None = None


@dataclass(frozen=True, slots=True)
class SupplierQuery:
    text: str | None = None
    region_codes: tuple[str, ...] = ()
    kbli: str | None = None
    scale: Scale | None = None
    certifications: tuple[CertificationKind, ...] = ()
    verified_only: bool = False


@dataclass(frozen=True, slots=True)
class CooperativeQuery:
    text: str | None = None
    type: str | None = None
    region_code: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Items in the network's order, with a resumable position after each one.

    ``positions[i]`` continues right after ``items[i]``: the hub may consume any prefix of
    a page and resume exactly there. ``has_more`` is False once the network has no more.
    """

    items: tuple[T, ...]
    positions: tuple[str, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a connector can do natively; the hub does the rest itself."""

    product_filters: frozenset[str] = field(default_factory=frozenset)
    supplier_filters: frozenset[str] = field(default_factory=frozenset)
    cooperative_filters: frozenset[str] = field(default_factory=frozenset)
    max_page_size: int = 100


class OrderStatus(StrEnum):
    """A network order's life: every network's own names map onto these."""

    CREATED = "CREATED"
    CONFIRMED = "CONFIRMED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Buyer:
    """Who the hub orders for: networks know only their own members, so it says."""

    name: str
    organization_id: str  # the buyer's global ID in the hub
    home_network: str
    delivery_region_code: str


@dataclass(frozen=True, slots=True)
class OrderLineRequest:
    product_id: str  # the network's own product id
    quantity: int


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """One sub-order: ``reference`` is unique per sub-order and makes placing idempotent."""

    reference: str
    buyer: Buyer
    lines: tuple[OrderLineRequest, ...]


@dataclass(frozen=True, slots=True)
class OrderLineRecord:
    product_id: str
    quantity: int
    unit_price: int  # rupiah, as the network charged it
    amount: int


@dataclass(frozen=True, slots=True)
class OrderRecord:
    network: str
    id: str  # the network's own order id
    reference: str
    status: OrderStatus
    lines: tuple[OrderLineRecord, ...]
    total: int


@dataclass(frozen=True, slots=True)
class TransactionRecord:
    """A money movement at a cooperative, as a network streams it."""

    network: str
    id: str
    cooperative_id: str | None
    kind: str  # the network's own kind, e.g. "purchase", "bill_payment", "order_created"
    amount: int
    description: str
    occurred_at: str  # ISO 8601


class ChangeKind(StrEnum):
    """What a change-feed entry did to a product."""

    UPSERTED = "upserted"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class ProductChange:
    """One entry of a network's product change feed, in canonical form.

    ``product`` is the whole product after the change for ``UPSERTED``, None for
    ``DELETED``. Feeds are logs: the same product may appear again later, and the last
    entry wins.
    """

    network: str
    product_id: str
    kind: ChangeKind
    product: ProductRecord | None = None


@dataclass(frozen=True, slots=True)
class ChangePage:
    """Changes in the network's feed order and the marker to resume right after them.

    ``marker`` is opaque to the hub: store it and pass it back as ``after``. It equals
    the ``after`` it was asked with when nothing changed. ``has_more`` says the feed had
    more entries than fitted in this page; ``remaining`` how many entries followed
    ``after`` when the network says (for progress only: the feed grows meanwhile).
    """

    changes: tuple[ProductChange, ...]
    marker: str | None
    has_more: bool
    remaining: int | None = None
