"""Exact points: every number that can decide a threshold is a Decimal, never a float."""

from __future__ import annotations

from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext
from typing import Any

ZERO = Decimal(0)

# Wide enough that sums and products of any numbers the schema accepts are exact: claimed numbers have at
# most 30 significant digits and |x| <= 10**9, sheet numbers likewise, and an item multiplies at most three
# of them (points x role x rank). Python's default of 28 digits would print 79.98 + 0.1 x 0.1999…(29 nines)
# as 80. Only a linear item's division by a unit that is not a power of ten can be inexact, and is then
# rounded in the 200th digit.
EXACT = Context(prec=200, traps=[InvalidOperation, DivisionByZero, Overflow])


def exact() -> Any:
    """``with exact():`` -- arithmetic on points in the wide context."""
    return localcontext(EXACT)


def to_decimal(value: int | str | Decimal) -> Decimal:
    if isinstance(value, float):  # a float here means a bug upstream; refuse rather than round
        raise TypeError("points must not be floats")
    return value if isinstance(value, Decimal) else Decimal(value)


def fmt(value: Decimal | int | None) -> str:
    """Shortest exact text: 80, 87.5, 6.875 -- no trailing zeros, no exponent."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    text = str(to_decimal(value))
    if "E" in text or "e" in text:  # 1E+1 and friends: rare; format "f" is exact (normalize would round to 28 digits)
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def answer_text(value: object) -> str:
    """An answer as a person reads it: exact numbers, 是/否 for booleans, text as is."""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
