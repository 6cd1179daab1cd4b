"""Merge per-network pages into one page without losing or repeating an item.

Each network's items are consumed strictly in the network's own order (a prefix of its
page), so its resume position is simply the position after the last item taken. Across
networks the next item is the best of the networks' next items by the caller's key: a
k-way merge, which ranks exactly when the networks' orders agree with the key and stays
exactly-once when they do not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from connectors.base import Connector
from connectors.records import Page
from federation.cursor import MergeState
from federation.fanout import NetworkOutcome
from federation.hub import Federation

T = TypeVar("T")
Fetch = Callable[[Connector, str | None, int], Awaitable[Page[T]]]


@dataclass(frozen=True)
class Taken(Generic[T]):
    """An item handed out, with the merge state right after it (its edge cursor)."""

    item: T
    state: MergeState


@dataclass(frozen=True)
class Merged(Generic[T]):
    taken: tuple[Taken[T], ...]
    state: MergeState  # after everything consumed, kept or filtered out
    outcomes: tuple[NetworkOutcome[Page[T]], ...]
    window: tuple[T, ...]  # every fetched item that passed ``keep``: the facets' base

    @property
    def has_next(self) -> bool:
        return any(code not in self.state.exhausted for code in self.state.positions)


async def merge_page(
    federation: Federation,
    fetch: Fetch[T],
    state: MergeState,
    first: int,
    *,
    key: Callable[[T], Any],
    keep: Callable[[T], bool] = lambda _: True,
    only: Iterable[str] | None = None,
    prepare: Callable[[dict[str, Page[T]]], Awaitable[None]] | None = None,
) -> Merged[T]:
    """The next ``first`` kept items across networks after ``state``.

    ``only`` limits the networks asked; the others are SKIPPED and count as exhausted.
    ``prepare`` sees every network's page before the merge (to fetch what ``keep`` needs
    in one batch).
    """
    allowed = set(only) if only is not None else set(federation.codes)
    skip = {c: "not asked: filtered out" for c in federation.codes if c not in allowed}
    skip |= {c: "no more results" for c in state.exhausted if c in allowed}
    limit = min(first, federation.limits.max_page_size)
    fan = await federation.fan_out(
        lambda connector: fetch(connector, state.position(connector.code), limit), skip=skip
    )
    pages = fan.values()
    if prepare is not None:
        await prepare(pages)
    consumed = {code: 0 for code in pages}
    positions = {code: state.position(code) for code in federation.codes}
    exhausted = set(state.exhausted) | (set(federation.codes) - allowed)
    taken: list[Taken[T]] = []
    window = [item for page in pages.values() for item in page.items if keep(item)]

    def current() -> MergeState:
        done = set(exhausted)
        for code, page in pages.items():
            if consumed[code] == len(page.items) and not page.has_more:
                done.add(code)
        return MergeState(positions=dict(positions), exhausted=frozenset(done))

    while len(taken) < first:
        heads = [
            (code, page.items[consumed[code]])
            for code, page in pages.items()
            if consumed[code] < len(page.items)
        ]
        # A network whose fetched window ran dry but has more could hold a better item:
        # stop rather than rank past what we have not seen.
        if not heads or any(
            consumed[code] == len(page.items) and page.has_more for code, page in pages.items()
        ):
            break
        code, item = min(heads, key=lambda head: key(head[1]))
        page = pages[code]
        positions[code] = page.positions[consumed[code]]
        consumed[code] += 1
        if keep(item):
            taken.append(Taken(item, current()))
    return Merged(tuple(taken), current(), fan.outcomes, tuple(window))
