"""What every resolver receives: the federation and this request's DataLoaders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiodataloader import DataLoader

from federation.fanout import Deadline, NetworkOutcome
from federation.groupbuy.service import GroupBuyService
from federation.hub import Federation
from federation.index.catalog import CatalogIndex
from federation.loaders import Loaders
from federation.orders.service import OrderService
from federation.procurement.model import Organisation, Quote
from federation.procurement.service import ProcurementService
from resolvers.principal import Principal


@dataclass(frozen=True)
class NetworkFailure:
    """A network that failed part of this request, reported beside the partial data."""

    path: tuple[str | int, ...]
    outcome: NetworkOutcome[Any]


@dataclass(frozen=True)
class Services:
    """The hub's services that keep state in its database (none in a catalogue-only hub)."""

    orders: OrderService | None = None
    group_buys: GroupBuyService | None = None
    procurement: ProcurementService | None = None
    index: CatalogIndex | None = None  # None: every search fans out live


@dataclass
class Context:
    """Per-request context; loaders are new for every request (their caches too).

    Built as the operation starts: its ``deadline`` (``federation.limits.deadline`` from
    now) is shared by every network call the operation makes, at every level, so
    ``federation`` here is the operation's view (``Federation.for_operation``).
    """

    federation: Federation
    request: Any = None
    services: Services = field(default_factory=Services)
    principal: Principal | None = None  # the authenticated client, when a token came
    # What a WebSocket client sent with ``connection_init`` (strawberry fills it in).
    connection_params: dict[str, Any] | None = None
    deadline: Deadline = field(init=False)
    loaders: Loaders = field(init=False)
    # An RFQ's quotes as one viewer sees them: a page of RFQs reads them all at once.
    rfq_quotes: DataLoader[tuple[str, Organisation], list[Quote]] = field(init=False)
    failures: list[NetworkFailure] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.deadline = Deadline.after(self.federation.limits.deadline)
        self.federation = self.federation.for_operation(self.deadline)
        self.loaders = Loaders(self.federation, self.services.index)
        self.rfq_quotes = DataLoader(self._load_rfq_quotes)

    @property
    def orders(self) -> OrderService:
        if self.services.orders is None:
            raise RuntimeError("this hub runs without an order database")
        return self.services.orders

    @property
    def group_buys(self) -> GroupBuyService:
        if self.services.group_buys is None:
            raise RuntimeError("this hub runs without a group-buy database")
        return self.services.group_buys

    @property
    def procurement(self) -> ProcurementService:
        if self.services.procurement is None:
            raise RuntimeError("this hub runs without a procurement database")
        return self.services.procurement

    async def _load_rfq_quotes(self, keys: list[tuple[str, Organisation]]) -> list[list[Quote]]:
        by_viewer: dict[Organisation, list[str]] = defaultdict(list)
        for rfq_id, viewer in keys:
            by_viewer[viewer].append(rfq_id)
        found: dict[tuple[str, Organisation], list[Quote]] = {}
        for viewer, rfq_ids in by_viewer.items():
            seen = await self.procurement.quotes_of(viewer, rfq_ids)
            found.update(((rfq_id, viewer), q) for rfq_id, q in zip(rfq_ids, seen, strict=True))
        return [found[key] for key in keys]

    def report(
        self, path: tuple[str | int, ...], outcomes: tuple[NetworkOutcome[Any], ...]
    ) -> None:
        """Remember the failed outcomes: each becomes one GraphQL error at ``path``."""
        for outcome in outcomes:
            if outcome.error is not None:
                self.failures.append(NetworkFailure(path, outcome))
