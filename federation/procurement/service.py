"""``ProcurementService``: publish an RFQ, quote on it, award it, read what one may see.

Every call takes the caller's ``Organisation``. A BUMN sees and awards its own RFQs; a
supplier sees the RFQs it was invited to and its own quotes. Anything else reads as
absent (NOT_FOUND, the same answer as for an RFQ that does not exist), so no path
reveals another organisation's procurement. Every refusal happens before anything is
written, here or at a network.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from connectors.errors import NetworkUnavailable
from connectors.padi.procurement import PadiBumn, PadiProcurement, procurement_of
from federation.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from federation.hub import Federation
from federation.idempotency import RequestKey, check_key
from federation.loaders import Loaders
from federation.orders.model import OrderDraft
from federation.orders.service import OrderService
from federation.procurement import issuing, listings, native, ocds, publication
from federation.procurement.checks import check_quote, check_rfq
from federation.procurement.invitations import invite
from federation.procurement.model import (
    Award,
    AwardStatus,
    Organisation,
    OrgKind,
    Quote,
    QuoteDraft,
    QuoteStatus,
    Rfq,
    RfqDraft,
    RfqItem,
    RfqStatus,
    SpendFilter,
    SpendReport,
)
from federation.procurement.spend import spend_report
from federation.procurement.store import ProcurementStore

MAX_PAGE = 100


def bumn_global_id(bumn_id: str) -> str:
    """The BUMN's organisation ID as tokens carry it (``BUMN:<id>``, urlsafe base64): the
    buyer of the orders an award places, so the BUMN's own token can read them."""
    return base64.urlsafe_b64encode(f"BUMN:{bumn_id}".encode()).decode().rstrip("=")


class ProcurementService:
    def __init__(
        self,
        store: ProcurementStore,
        federation: Federation,
        orders: OrderService,
        *,
        clock: Callable[[], float] = time.time,
        order_buyer_id: Callable[[str], str] = bumn_global_id,
    ) -> None:
        self.store = store
        self.federation = federation
        self.orders = orders
        self.clock = clock
        self.order_buyer_id = order_buyer_id
        found = [p for c in federation.connectors if (p := procurement_of(c)) is not None]
        self.padi: PadiProcurement | None = found[0] if found else None

    # ---- RFQs ----------------------------------------------------------------------

    async def publish(self, buyer: Organisation, draft: RfqDraft) -> Rfq:
        """Open an RFQ for ``buyer`` and send it to the suppliers it invites: on PaDi as
        PaDi's own RFQs, on SEJUK and Tangerang through the hub's board."""
        if buyer.kind is not OrgKind.BUMN:
            raise ForbiddenError("only a BUMN publishes RFQs")
        key = draft.request_key()
        if key is not None:
            check_key(key.key, "RFQ")
            existing = await self.store.find_rfq_by_key(buyer.id, key)
            if existing is not None:
                return existing
        now = self.clock()
        check_rfq(draft, now)
        padi = self._padi()
        bumn = await self._bumn(padi, buyer.id)
        invitations = await invite(self.federation, draft)
        if not invitations:
            kblis = ", ".join(dict.fromkeys(item.kbli for item in draft.items))
            scales = " mikro or kecil" if draft.prefer_small else ""
            raise InputError(
                f"no{scales} supplier in any network lists KBLI {kblis}: nothing was published"
            )
        if any(i.network == padi.network for i in invitations):
            items = await native.publish(padi, bumn.id, draft, _padi_reference(bumn.id, key))
        else:
            items = tuple(
                RfqItem(n, x.description, x.kbli, x.quantity, x.unit, None)
                for n, x in enumerate(draft.items)
            )
        rfq = Rfq(
            id=uuid.uuid4().hex,
            buyer_id=bumn.id,
            buyer_name=bumn.name,
            title=draft.title.strip(),
            description=draft.description,
            delivery_region_code=draft.delivery_region_code,
            deadline=draft.deadline.timestamp(),
            prefer_small=draft.prefer_small,
            status=RfqStatus.OPEN,
            created_at=now,
            items=items,
            invitations=invitations,
        )
        return await self.store.create_rfq(rfq, key)

    async def get(self, caller: Organisation, rfq_id: str) -> Rfq:
        """The RFQ as ``caller`` may see it (a supplier sees only its own invitation)."""
        found = await self.store.load_rfqs([rfq_id])
        rfq = found[0] if found else None
        if rfq is None or not _may_see(caller, rfq):
            raise NotFoundError(f"no RFQ {rfq_id} for your organisation")
        return _as_seen_by(caller, rfq)

    async def list_rfqs(
        self,
        caller: Organisation,
        *,
        status: RfqStatus | None = None,
        first: int = 20,
        after: tuple[float, str] | None = None,
    ) -> list[Rfq]:
        """Newest first: a BUMN's own RFQs, or those a supplier was invited to.
        ``after`` is the (created_at, id) of the last RFQ seen."""
        if not 1 <= first <= MAX_PAGE:
            raise InputError(f"`first` must be 1-{MAX_PAGE}")
        ids = await self.store.rfq_ids(caller, status=status, first=first, after=after)
        return [_as_seen_by(caller, rfq) for rfq in await self.store.load_rfqs(ids)]

    # ---- quotes --------------------------------------------------------------------

    async def submit_quote(self, supplier: Organisation, draft: QuoteDraft) -> Quote:
        """``supplier``'s quote on an RFQ it was invited to, before the deadline."""
        if supplier.kind is not OrgKind.SUPPLIER:
            raise ForbiddenError("only an invited supplier quotes on an RFQ")
        rfq = await self.get(supplier, draft.rfq_id)
        invitation = next((i for i in rfq.invitations if i.network == draft.network), None)
        if invitation is None:
            networks = ", ".join(i.network for i in rfq.invitations)
            raise InputError(f"you were invited on {networks}: quote there")
        if rfq.status is not RfqStatus.OPEN:
            raise ConflictError("this RFQ has been awarded and takes no more quotes")
        now = self.clock()
        if rfq.closed(now):
            closed = dt.datetime.fromtimestamp(rfq.deadline, dt.UTC).isoformat()
            raise ConflictError(f"this RFQ closed at {closed}: quotes are no longer accepted")
        on_padi = self.padi is not None and draft.network == self.padi.network
        check_quote(draft, rfq, priced_by_supplier=on_padi)
        if await self.store.quotes(rfq.id, supplier.id):
            raise ConflictError("your organisation has already quoted on this RFQ")
        if on_padi:
            assert self.padi is not None
            lines = await native.quote(self.padi, rfq, invitation, draft)
        else:
            lines = await listings.price_lines(Loaders(self.federation), rfq, invitation, draft)
        quote = Quote(
            id=uuid.uuid4().hex,
            rfq_id=rfq.id,
            nib=supplier.id,
            network=draft.network,
            supplier_id=invitation.supplier_id,
            supplier_name=invitation.supplier_name,
            scale=invitation.scale,
            delivery_days=draft.delivery_days,
            note=draft.note,
            status=QuoteStatus.SUBMITTED,
            total=sum(line.amount for line in lines),
            created_at=now,
            lines=lines,
        )
        await self.store.add_quote(quote)
        return quote

    async def quotes(self, caller: Organisation, rfq_id: str) -> list[Quote]:
        """The RFQ's quotes for its buyer; a supplier's own quote for that supplier."""
        return (await self.quotes_of(caller, [rfq_id]))[0]

    async def quotes_of(self, caller: Organisation, rfq_ids: Sequence[str]) -> list[list[Quote]]:
        """``quotes`` of several RFQs in a few reads (a page of RFQs with their quotes).
        NotFoundError when one of them is not the caller's to see."""
        wanted = list(dict.fromkeys(rfq_ids))
        rfqs = {rfq.id: rfq for rfq in await self.store.load_rfqs(wanted)}
        for rfq_id in wanted:
            rfq = rfqs.get(rfq_id)
            if rfq is None or not _may_see(caller, rfq):
                raise NotFoundError(f"no RFQ {rfq_id} for your organisation")
        found = await self.store.quotes_for(wanted)
        nib = caller.id if caller.kind is OrgKind.SUPPLIER else None
        return [[q for q in found.get(i, []) if nib is None or q.nib == nib] for i in rfq_ids]

    # ---- awards --------------------------------------------------------------------

    async def award(self, buyer: Organisation, rfq_id: str, quote_id: str) -> Award:
        """Award ``rfq_id`` to ``quote_id`` and issue the purchase order at the winner's
        network: through the order saga on SEJUK and Tangerang, by PaDi's own
        ``awardRfq`` on PaDi. An RFQ is awarded once; an award interrupted before its
        order was placed is resumed by awarding the same quote again."""
        if buyer.kind is not OrgKind.BUMN:
            raise ForbiddenError("only the BUMN that published an RFQ awards it")
        rfq = await self.get(buyer, rfq_id)
        winner = next((q for q in await self.store.quotes(rfq.id) if q.id == quote_id), None)
        if winner is None:
            raise NotFoundError(f"no quote {quote_id} on this RFQ")
        existing = await self.store.award_for(rfq.id)
        if existing is not None:
            if existing.quote_id != quote_id or existing.status is not AwardStatus.ISSUING:
                raise ConflictError(
                    f"this RFQ was already awarded (to quote {existing.quote_id}): "
                    "an RFQ is awarded once"
                )
            return await self._issue(rfq, winner, existing)
        if rfq.status is not RfqStatus.OPEN:
            raise ConflictError("this RFQ has already been awarded")
        on_padi = self.padi is not None and winner.network == self.padi.network
        if not on_padi:
            # Priced and checked now, so a stale quote is refused before anything is written.
            await self._order_draft(rfq, winner)
        award = Award(
            id=uuid.uuid4().hex,
            rfq_id=rfq.id,
            quote_id=winner.id,
            buyer_id=rfq.buyer_id,
            network=winner.network,
            scale=winner.scale,
            status=AwardStatus.ISSUING,
            total=winner.total,
            created_at=self.clock(),
            order_id=None,
            native_orders=(),
            failure_reason=None,
        )
        await self.store.begin_award(award)
        return await self._issue(rfq, winner, award)

    async def award_of(self, caller: Organisation, rfq_id: str) -> Award | None:
        """The RFQ's award, for its buyer and its winner; None before it is awarded (and
        for the suppliers who did not win)."""
        rfq = await self.get(caller, rfq_id)
        award = await self.store.award_for(rfq.id)
        if award is None:
            return None
        if caller.kind is OrgKind.SUPPLIER:
            mine = await self.store.quotes(rfq.id, caller.id)
            if not any(q.id == award.quote_id for q in mine):
                return None
        if award.status is AwardStatus.ISSUING and award.order_id is not None:
            order = await self.orders.get(award.order_id)
            status = issuing.award_status(order)
            if status is not award.status:
                await self.store.finish_award(award.id, status, failure_reason=order.failure_reason)
                return await self.store.award_for(rfq.id)
        return award

    async def spend(self, caller: Organisation, flt: SpendFilter) -> SpendReport:
        """A BUMN's spend (its own only) from the hub's orders and PaDi's figures."""
        if caller.kind is not OrgKind.BUMN or caller.id != flt.buyer:
            raise ForbiddenError("a BUMN sees only its own spend")
        return await spend_report(self.store.engine, self._padi(), flt)

    async def ocds_package(self, buyer: Organisation, rfq_id: str, *, uri: str) -> dict[str, Any]:
        """The RFQ's releases as an OCDS 1.1 release package, for its buyer (they name every
        quote); ``federation.procurement.publication`` derives them."""
        if buyer.kind is not OrgKind.BUMN:
            raise ForbiddenError("only the BUMN that published an RFQ exports it")
        rfq = await self.get(buyer, rfq_id)
        found = await publication.process(self.store, self.orders.store, buyer, rfq)
        return ocds.release_package(ocds.releases(found), uri=uri)

    async def _issue(self, rfq: Rfq, winner: Quote, award: Award) -> Award:
        if self.padi is not None and winner.network == self.padi.network:
            orders = await native.award(self.padi, rfq, winner)
            await self.store.finish_award(award.id, AwardStatus.ISSUED, orders=orders)
        else:
            draft = await self._order_draft(rfq, winner, check=False)
            order = await self.orders.place_draft(draft)
            await self.store.finish_award(
                award.id,
                issuing.award_status(order),
                order_id=order.id,
                failure_reason=order.failure_reason,
            )
        issued = await self.store.award_for(rfq.id)
        assert issued is not None
        return issued

    async def _order_draft(self, rfq: Rfq, winner: Quote, *, check: bool = True) -> OrderDraft:
        return await listings.order_draft(
            Loaders(self.federation),
            rfq,
            winner,
            buyer_id=self.order_buyer_id(rfq.buyer_id),
            buyer_network=self._padi().network,
            check=check,
        )

    def _padi(self) -> PadiProcurement:
        if self.padi is None:
            raise NetworkUnavailable("padi", "no PaDi network in this hub: BUMN buyers are PaDi's")
        return self.padi

    async def _bumn(self, padi: PadiProcurement, bumn_id: str) -> PadiBumn:
        for bumn in await padi.bumns():
            if bumn.id == bumn_id:
                return bumn
        raise NotFoundError(f"{bumn_id} is not a BUMN buying on PaDi")


def _padi_reference(bumn_id: str, key: RequestKey | None) -> str | None:
    """PaDi's clientReference for a keyed RFQ: the same on a retry, so PaDi opens its
    RFQs once (within PaDi's 100 characters whatever the key)."""
    if key is None:
        return None
    digest = hashlib.sha256(f"{bumn_id}\0{key.key}".encode()).hexdigest()[:40]
    return f"hub-rfq-{digest}"


def _may_see(caller: Organisation, rfq: Rfq) -> bool:
    if caller.kind is OrgKind.BUMN:
        return rfq.buyer_id == caller.id
    return rfq.invited(caller.id)


def _as_seen_by(caller: Organisation, rfq: Rfq) -> Rfq:
    """A supplier sees its own invitations, not who else was asked."""
    if caller.kind is OrgKind.BUMN:
        return rfq
    own = tuple(i for i in rfq.invitations if i.nib == caller.id)
    return Rfq(**{**vars(rfq), "invitations": own})
