"""Group buys (*belanja bareng*): many cooperatives' quantities, one wholesale order.

A coordinator opens one on a product with wholesale tiers; cooperatives from any network
join with a quantity while it is open; the price follows the total. Closing places one
aggregate order through the order saga and shares it out. See ``service.GroupBuyService``
and docs/decisions/0003-orders-saga.md for the saga it builds on.
"""

from federation.groupbuy.model import Allocation, GroupBuy, GroupBuyState, Participant
from federation.groupbuy.pricing import PriceQuote
from federation.groupbuy.requests import GroupBuyFilter, OpenGroupBuyRequest
from federation.groupbuy.service import GroupBuyService
from federation.groupbuy.store import GroupBuyStore

__all__ = [
    "Allocation",
    "GroupBuy",
    "GroupBuyFilter",
    "GroupBuyService",
    "GroupBuyState",
    "GroupBuyStore",
    "OpenGroupBuyRequest",
    "Participant",
    "PriceQuote",
]
