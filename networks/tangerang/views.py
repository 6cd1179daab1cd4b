"""Database rows turned into API models."""

from __future__ import annotations

from typing import Any

from networks.tangerang.ids import Kind, format_id
from networks.tangerang.money import format_money
from networks.tangerang.schemas import (
    Bill,
    Buyer,
    Certification,
    Cooperative,
    Item,
    Member,
    Merchant,
    Order,
    OrderLine,
    Transaction,
)


def _optional_id(kind: Kind, number: int | None) -> str | None:
    return None if number is None else format_id(kind, number)


def cooperative_view(row: Any) -> Cooperative:
    return Cooperative(
        id=format_id(Kind.COOPERATIVE, row.id),
        name=row.name,
        type=row.type,
        registration_number=row.registration_number,
        region_code=row.region_code,
        address=row.address,
        chairperson=row.chairperson,
        phone=row.phone,
        founded_year=row.founded_year,
        member_count=row.member_count,
    )


def merchant_view(row: Any) -> Merchant:
    return Merchant(
        id=format_id(Kind.MERCHANT, row.id),
        nib=row.nib,
        name=row.name,
        legal_form=row.legal_form,
        owner_name=row.owner_name,
        phone=row.phone,
        address=row.address,
        region_code=row.region_code,
        kbli=row.kbli,
        kbli_codes=[code for code in row.kbli_set.split(",") if code],
        categories=list(row.categories),
        scale=row.scale,
        certifications=[Certification.model_validate(c) for c in row.certifications],
        founded_year=row.founded_year,
    )


def item_view(row: Any) -> Item:
    """An item row joined with its merchant's name (column ``merchant_name``)."""
    return Item(
        id=format_id(Kind.ITEM, row.id),
        sku=row.sku,
        name=row.name,
        description=row.description,
        category=row.category,
        unit=row.unit,
        price=format_money(row.price),
        stock=row.stock,
        min_order=row.min_order,
        merchant_id=format_id(Kind.MERCHANT, row.merchant_id),
        merchant_name=row.merchant_name,
        region_code=row.region_code,
        updated_at=row.updated_at,
    )


def member_view(row: Any) -> Member:
    return Member(
        id=format_id(Kind.MEMBER, row.id),
        cooperative_id=format_id(Kind.COOPERATIVE, row.cooperative_id),
        member_number=row.member_number,
        name=row.name,
        phone=row.phone,
        address=row.address,
        joined_on=row.joined_on,
    )


def bill_view(row: Any) -> Bill:
    return Bill(
        id=format_id(Kind.BILL, row.id),
        member_id=format_id(Kind.MEMBER, row.member_id),
        cooperative_id=format_id(Kind.COOPERATIVE, row.cooperative_id),
        kind=row.kind,
        description=row.description,
        period=row.period,
        amount=format_money(row.amount),
        due_date=row.due_date,
        status=row.status,
        paid_at=row.paid_at,
        transaction_id=_optional_id(Kind.TRANSACTION, row.transaction_id),
    )


def transaction_view(row: Any) -> Transaction:
    return Transaction(
        id=format_id(Kind.TRANSACTION, row.seq),
        seq=row.seq,
        cooperative_id=_optional_id(Kind.COOPERATIVE, row.cooperative_id),
        member_id=_optional_id(Kind.MEMBER, row.member_id),
        order_id=_optional_id(Kind.ORDER, row.order_id),
        bill_id=_optional_id(Kind.BILL, row.bill_id),
        type=row.type,
        amount=format_money(row.amount),
        description=row.description,
        occurred_at=row.occurred_at,
    )


def order_view(row: Any, lines: list[Any]) -> Order:
    return Order(
        id=format_id(Kind.ORDER, row.id),
        idempotency_key=row.idempotency_key,
        status=row.status,
        buyer=Buyer(
            name=row.buyer_name,
            organization_id=row.buyer_organization_id,
            home_network=row.buyer_home_network,
            delivery_region_code=row.delivery_region_code,
        ),
        lines=[
            OrderLine(
                item_id=format_id(Kind.ITEM, line.item_id),
                merchant_id=format_id(Kind.MERCHANT, line.merchant_id),
                name=line.name,
                unit=line.unit,
                quantity=line.quantity,
                unit_price=format_money(line.unit_price),
                line_total=format_money(line.unit_price * line.quantity),
            )
            for line in lines
        ],
        note=row.note,
        total=format_money(row.total),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
