"""Cooperative transactions: a paged list and a live server-sent event stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from networks.common.app import database
from networks.common.db import Database
from networks.common.errors import ApiError
from networks.common.http import parse_query
from networks.tangerang.ids import Kind
from networks.tangerang.paging import check_limit
from networks.tangerang.schemas import StreamQuery, Transaction, TransactionPage, TransactionQuery
from networks.tangerang.tables import cooperatives, transactions
from networks.tangerang.views import transaction_view
from networks.tangerang.web import authenticate, filter_id, not_found, reply, services

CATCH_UP_BATCH = 500


def _visible(client_id: str, cooperative: int | None) -> list[ColumnElement[bool]]:
    # Order transactions belong to the client that placed the order; the rest are public.
    conditions: list[ColumnElement[bool]] = [
        or_(transactions.c.client_id.is_(None), transactions.c.client_id == client_id)
    ]
    if cooperative is not None:
        conditions.append(transactions.c.cooperative_id == cooperative)
    return conditions


async def _cooperative_filter(request: Request, raw: str | None) -> int | None:
    if raw is None:
        return None
    number = filter_id(Kind.COOPERATIVE, "cooperative_id", raw)
    async with database(request).read() as session:
        found = await session.execute(select(cooperatives.c.id).where(cooperatives.c.id == number))
    if found.first() is None:
        raise not_found("cooperative", raw)
    return number


async def list_transactions(request: Request) -> Response:
    """GET /v2/transactions?cooperative_id="""
    client_id = await authenticate(request)
    query = parse_query(request, TransactionQuery)
    svc = services(request)
    check_limit(query.limit, svc.settings.max_page_size)
    cooperative = await _cooperative_filter(request, query.cooperative_id)
    scope = f"transactions:{query.cooperative_id or '*'}"
    after = svc.cursors.decode(scope, query.cursor)
    stmt = (
        select(transactions)
        .where(transactions.c.seq > after, *_visible(client_id, cooperative))
        .order_by(transactions.c.seq)
        .limit(query.limit + 1)
    )
    async with database(request).read() as session:
        rows = (await session.execute(stmt)).all()
    cursor = None
    if len(rows) > query.limit:
        cursor = svc.cursors.encode(scope, rows[query.limit - 1].seq)
    page = [transaction_view(r) for r in rows[: query.limit]]
    return reply(TransactionPage(items=page, next_cursor=cursor))


def sse_event(transaction: Transaction) -> str:
    """One transaction as a server-sent event."""
    data = json.dumps(transaction.model_dump(mode="json"), separators=(",", ":"))
    return f"id: {transaction.seq}\nevent: transaction\ndata: {data}\n\n"


async def _latest_seq(db: Database) -> int:
    async with db.read() as session:
        found: Any = (
            await session.execute(select(transactions.c.seq).order_by(transactions.c.seq.desc()))
        ).first()
    return int(found[0]) if found else 0


async def _since(
    db: Database, client_id: str, cooperative: int | None, after: int
) -> list[Transaction]:
    stmt = (
        select(transactions)
        .where(transactions.c.seq > after, *_visible(client_id, cooperative))
        .order_by(transactions.c.seq)
        .limit(CATCH_UP_BATCH)
    )
    async with db.read() as session:
        return [transaction_view(r) for r in (await session.execute(stmt)).all()]


def _last_event_id(request: Request) -> int | None:
    raw = request.headers.get("last-event-id")
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit():
        raise ApiError(400, "invalid_last_event_id", "Last-Event-ID must be a sequence number")
    return int(raw)


async def stream_transactions(request: Request) -> Response:
    """GET /v2/transactions/stream: live transactions as server-sent events.

    With ``Last-Event-ID`` it first replays what followed that event from the database;
    without it, it starts with what happens next.
    """
    client_id = await authenticate(request)
    query = parse_query(request, StreamQuery)
    cooperative = await _cooperative_filter(request, query.cooperative_id)
    resume_after = _last_event_id(request)
    svc = services(request)
    db = database(request)

    async def events() -> AsyncIterator[str]:
        with svc.broadcaster.subscribe(client_id, query.cooperative_id) as subscription:
            last = resume_after if resume_after is not None else await _latest_seq(db)
            yield ": connected\n\n"
            catching_up = True
            while True:
                if catching_up or subscription.overflowed:
                    subscription.overflowed = False
                    while not subscription.queue.empty():
                        subscription.queue.get_nowait()
                    batch = await _since(db, client_id, cooperative, last)
                    for transaction in batch:
                        last = transaction.seq
                        yield sse_event(transaction)
                    catching_up = len(batch) == CATCH_UP_BATCH
                    continue
                try:
                    transaction = await asyncio.wait_for(
                        subscription.queue.get(), svc.settings.stream_keepalive_seconds
                    )
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if transaction.seq > last:
                    last = transaction.seq
                    yield sse_event(transaction)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


routes = [
    Route("/v2/transactions", list_transactions, methods=["GET"]),
    Route("/v2/transactions/stream", stream_transactions, methods=["GET"]),
]
