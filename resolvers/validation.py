"""Checks on arguments, each failing with a message a person can act on."""

from __future__ import annotations

import re
from collections.abc import Iterable

from federation.errors import InputError
from federation.hub import Federation
from networks.common.catalog import CATEGORY_BY_SLUG

_REGION = re.compile(r"\d{2}(\.\d{2})?")


def page_size(first: int, maximum: int) -> int:
    if first < 0:
        raise InputError(f"`first` must be 0 or more, not {first}")
    if first > maximum:
        raise InputError(
            f"`first` must be at most {maximum}, not {first}: page through with `after`"
        )
    return first


def networks(federation: Federation, codes: Iterable[str] | None) -> tuple[str, ...] | None:
    if codes is None:
        return None
    wanted = tuple(dict.fromkeys(codes))
    unknown = [code for code in wanted if code not in federation.by_code]
    if unknown:
        known = ", ".join(federation.codes)
        raise InputError(f"unknown network {', '.join(unknown)}: expected one of {known}")
    return wanted


def region(code: str | None) -> str | None:
    if code is not None and not _REGION.fullmatch(code):
        raise InputError(f"region code {code!r} is not a Kemendagri code like `32` or `32.73`")
    return code


def category(slug: str | None) -> str | None:
    if slug is not None and slug not in CATEGORY_BY_SLUG:
        known = ", ".join(sorted(CATEGORY_BY_SLUG))
        raise InputError(f"unknown category {slug!r}: expected one of {known}")
    return slug


def price_range(low: int | None, high: int | None) -> None:
    for name, value in (("minPrice", low), ("maxPrice", high)):
        if value is not None and value < 0:
            raise InputError(f"`{name}` must not be negative")
    if low is not None and high is not None and low > high:
        raise InputError("`minPrice` is above `maxPrice`")


def text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > 200:
        raise InputError("search text is longer than 200 characters")
    return value or None


def kbli(code: str | None) -> str | None:
    if code is not None and not (code.isdigit() and 1 <= len(code) <= 5):
        raise InputError(f"KBLI {code!r} is not a KBLI 2020 code or prefix (up to 5 digits)")
    return code
