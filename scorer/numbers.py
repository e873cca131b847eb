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
    d = to_decimal(value)
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    text = format(d.normalize(), "f")
    return text
