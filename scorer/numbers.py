"""Exact points: every number that can decide a threshold is a Decimal, never a float."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal(0)


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
    if "E" in text or "e" in text:  # 1E+1 and friends: rare, take the slow exact path
        d = value.normalize()
        text = format(d, "f")
    elif "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def answer_text(value: object) -> str:
    """An answer as a person reads it: exact numbers, 是/否 for booleans, text as is."""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
