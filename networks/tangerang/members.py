"""Cooperative members and their one-door bills (simpanan, iuran, listrik, PDAM, angsuran)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, update
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from networks.common.app import database
from networks.common.errors import ApiError
from networks.common.http import parse_query
from networks.tangerang.directory import fetch_one, fetch_page
from networks.tangerang.ids import Kind
from networks.tangerang.ledger import record_transaction
from networks.tangerang.paging import PageQuery
from networks.tangerang.schemas import BillPage, BillPayment, BillQuery, MemberPage
from networks.tangerang.tables import bills, cooperatives, members
from networks.tangerang.views import bill_view, member_view
from networks.tangerang.web import authenticate, not_found, now_iso, path_id, reply, services


async def list_members(request: Request) -> Response:
    """GET /v2/cooperatives/{id}/members"""
    await authenticate(request)
    query = parse_query(request, PageQuery)
    coop = await fetch_one(request, cooperatives, Kind.COOPERATIVE, "cooperative")
    found, cursor = await fetch_page(
        request,
        members,
        f"members:{coop.id}",
        [members.c.cooperative_id == coop.id],
        query.limit,
        query.cursor,
        member_view,
    )
    return reply(MemberPage(items=found, next_cursor=cursor))


async def get_member(request: Request) -> Response:
    """GET /v2/members/{id}"""
    await authenticate(request)
    return reply(member_view(await fetch_one(request, members, Kind.MEMBER, "member")))


async def list_bills(request: Request) -> Response:
    """GET /v2/members/{id}/bills"""
    await authenticate(request)
    query = parse_query(request, BillQuery)
    member = await fetch_one(request, members, Kind.MEMBER, "member")
    conditions: list[ColumnElement[bool]] = [bills.c.member_id == member.id]
    if query.status is not None:
        conditions.append(bills.c.status == query.status)
    found, cursor = await fetch_page(
        request, bills, f"bills:{member.id}", conditions, query.limit, query.cursor, bill_view
    )
    return reply(BillPage(items=found, next_cursor=cursor))


async def pay_bill(request: Request) -> Response:
    """POST /v2/bills/{id}:pay: marks the bill paid and records a transaction."""
    await authenticate(request)
    number = path_id(request, Kind.BILL, "bill")
    async with (
        services(request).broadcaster.publishing() as outbox,
        database(request).write() as session,
    ):
        bill = (await session.execute(select(bills).where(bills.c.id == number))).first()
        if bill is None:
            raise not_found("bill", str(request.path_params["id"]))
        if bill.status == "paid":
            raise ApiError(409, "bill_already_paid", "this bill has already been paid")
        event = await record_transaction(
            session,
            outbox,
            type="bill_payment",
            amount=bill.amount,
            description=bill.description,
            cooperative_id=bill.cooperative_id,
            member_id=bill.member_id,
            bill_id=bill.id,
        )
        await session.execute(
            update(bills)
            .where(bills.c.id == number)
            .values(status="paid", paid_at=now_iso(), transaction_id=event.transaction.seq)
        )
        paid = (await session.execute(select(bills).where(bills.c.id == number))).one()
    return reply(BillPayment(bill=bill_view(paid), transaction=event.transaction))


routes = [
    Route("/v2/cooperatives/{id}/members", list_members, methods=["GET"]),
    Route("/v2/members/{id}", get_member, methods=["GET"]),
    Route("/v2/members/{id}/bills", list_bills, methods=["GET"]),
    Route("/v2/bills/{id}:pay", pay_bill, methods=["POST"]),
]
