"""BUMN procurement as the hub keeps it: RFQs, invitations, quotes, awards, spend.

Plain frozen records, read from and written to the hub's RFQ board. Money is integer
rupiah; times are POSIX seconds (UTC); regions Kemendagri codes; KBLI 2020 codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from connectors.records import Scale
from federation.idempotency import RequestKey, fingerprint, keyed

UMKM_SCALES = frozenset({Scale.MIKRO, Scale.KECIL, Scale.MENENGAH})
SMALL_SCALES = frozenset({Scale.MIKRO, Scale.KECIL})


class OrgKind(StrEnum):
    BUMN = "BUMN"
    SUPPLIER = "SUPPLIER"


@dataclass(frozen=True)
class Organisation:
    """Who is asking: a BUMN (by its PaDi id, e.g. ``BUMN-PANGAN``) or an UMKM supplier
    (by its NIB). Every read and write takes one and shows only what it may see."""

    kind: OrgKind
    id: str

    @classmethod
    def bumn(cls, bumn_id: str) -> Organisation:
        return cls(OrgKind.BUMN, bumn_id)

    @classmethod
    def supplier(cls, nib: str) -> Organisation:
        return cls(OrgKind.SUPPLIER, nib)


class RfqStatus(StrEnum):
    OPEN = "OPEN"  # taking quotes until the deadline
    AWARDED = "AWARDED"  # one quote won; its purchase order is issued or being issued


class QuoteStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    AWARDED = "AWARDED"
    REJECTED = "REJECTED"


class AwardStatus(StrEnum):
    ISSUING = "ISSUING"  # written; the purchase order is being placed
    ISSUED = "ISSUED"  # the winner's network holds the purchase order
    FAILED = "FAILED"  # the winner's network refused the purchase order


# ---- what callers send -------------------------------------------------------------


@dataclass(frozen=True)
class RfqItemDraft:
    description: str
    kbli: str  # five digits, KBLI 2020
    quantity: int
    unit: str


@dataclass(frozen=True)
class RfqDraft:
    title: str
    items: tuple[RfqItemDraft, ...]
    delivery_region_code: str  # e.g. "32.73"
    deadline: dt.datetime  # timezone-aware
    prefer_small: bool = False  # reserve the RFQ for usaha mikro and kecil
    description: str = ""
    # The same key from the same buyer publishes one RFQ however often it is sent.
    idempotency_key: str | None = None

    def request_key(self) -> RequestKey | None:
        """The idempotency key with this draft's fingerprint, when a key was sent."""
        return keyed(self.idempotency_key, self.fingerprint)

    def fingerprint(self) -> str:
        """What makes two drafts the same RFQ, for the idempotency check."""
        return fingerprint(
            [
                self.title,
                [[i.description, i.kbli, i.quantity, i.unit] for i in self.items],
                self.delivery_region_code,
                self.deadline.timestamp(),
                self.prefer_small,
                self.description,
            ]
        )


@dataclass(frozen=True)
class QuoteLineDraft:
    """One item of an RFQ, as a supplier offers it.

    On the hub's board (SEJUK, Tangerang) ``product_id`` names one of the supplier's own
    products at ``network``; the price is that listing's price at the item's quantity
    (``unit_price``, when given, must equal it). On PaDi ``unit_price`` is the offer.
    """

    position: int
    unit_price: int | None = None
    product_id: str | None = None


@dataclass(frozen=True)
class QuoteDraft:
    rfq_id: str
    network: str  # where the supplier quotes (and will receive the purchase order)
    lines: tuple[QuoteLineDraft, ...]
    delivery_days: int
    note: str = ""


# ---- what the board holds ----------------------------------------------------------


@dataclass(frozen=True)
class RfqItem:
    position: int
    description: str
    kbli: str
    quantity: int
    unit: str
    native_rfq_id: str | None  # PaDi's RFQ for this item, when published there


@dataclass(frozen=True)
class Invitation:
    nib: str
    network: str
    supplier_id: str  # the network's own id
    supplier_name: str
    scale: Scale
    region_code: str


@dataclass(frozen=True)
class Rfq:
    id: str
    buyer_id: str  # the BUMN's PaDi id
    buyer_name: str
    title: str
    description: str
    delivery_region_code: str
    deadline: float
    prefer_small: bool
    status: RfqStatus
    created_at: float
    items: tuple[RfqItem, ...]
    invitations: tuple[Invitation, ...]

    def closed(self, now: float) -> bool:
        return now > self.deadline

    def invited(self, nib: str, network: str | None = None) -> bool:
        return any(
            i.nib == nib and (network is None or i.network == network) for i in self.invitations
        )


@dataclass(frozen=True)
class QuoteLine:
    position: int
    product_id: str | None
    native_quote_id: str | None  # PaDi's quotation for this item
    unit_price: int
    quantity: int
    amount: int


@dataclass(frozen=True)
class Quote:
    id: str
    rfq_id: str
    nib: str
    network: str
    supplier_id: str
    supplier_name: str
    scale: Scale
    delivery_days: int
    note: str
    status: QuoteStatus
    total: int
    created_at: float
    lines: tuple[QuoteLine, ...]


@dataclass(frozen=True)
class NativeOrder:
    """A purchase order the winner's network made itself (PaDi's ``awardRfq``)."""

    position: int
    network: str
    order_id: str
    total: int


@dataclass(frozen=True)
class Award:
    id: str
    rfq_id: str
    quote_id: str
    buyer_id: str
    network: str  # the winner's: where the purchase order is
    scale: Scale  # the winner's, when awarded
    status: AwardStatus
    total: int
    created_at: float
    order_id: str | None  # the hub's order, placed by the saga (SEJUK, Tangerang)
    native_orders: tuple[NativeOrder, ...]  # PaDi's own purchase orders
    failure_reason: str | None


# ---- spend -------------------------------------------------------------------------


class SpendGroup(StrEnum):
    MONTH = "MONTH"
    REGION = "REGION"
    SCALE = "SCALE"
    KBLI = "KBLI"
    NETWORK = "NETWORK"


@dataclass(frozen=True)
class SpendFilter:
    buyer: str  # the BUMN's PaDi id
    first_month: str  # YYYY-MM, inclusive
    last_month: str  # YYYY-MM, inclusive
    group_by: SpendGroup


@dataclass(frozen=True)
class SpendRow:
    """One group's spend. ``umkm_amount`` is its part with mikro, kecil and menengah
    suppliers."""

    key: str
    amount: int
    order_count: int
    umkm_amount: int


@dataclass(frozen=True)
class SpendReport:
    """Spend summed per group; ``umkm_amount`` is what went to mikro, kecil and menengah.

    ``hub_amount`` comes from the hub's own orders, ``network_amount`` from the networks'
    spend figures (PaDi); ``total`` is their sum and the sum of ``rows``.
    """

    filter: SpendFilter
    rows: tuple[SpendRow, ...]
    total: int
    order_count: int
    umkm_amount: int
    hub_amount: int
    network_amount: int

    @property
    def umkm_share(self) -> float:
        """UMKM's share of the total, 0.0 … 1.0 (0.0 when nothing was spent)."""
        return self.umkm_amount / self.total if self.total else 0.0
