"""Rupiah amounts: integers in the database, decimal strings ("15000.00") on the wire."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_DECIMAL = re.compile(r"^(\d{1,13})(?:\.(\d{1,2}))?$")
MONEY_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"


def format_money(rupiah: int) -> str:
    """``15000`` -> ``"15000.00"``."""
    return f"{rupiah}.00"


def parse_money(value: Any) -> int:
    """Whole rupiah from a decimal string; sen are not used in this network."""
    if not isinstance(value, str):
        raise ValueError('amounts are decimal strings such as "15000.00"')
    match = _DECIMAL.match(value)
    if match is None:
        raise ValueError('amounts are decimal strings such as "15000.00"')
    if match.group(2) and int(match.group(2)) != 0:
        raise ValueError("amounts are whole rupiah")
    return int(match.group(1))


MoneyInput = Annotated[
    int,
    BeforeValidator(parse_money),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["15000.00"]}),
]
MoneyOutput = Annotated[
    str, WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["15000.00"]})
]
