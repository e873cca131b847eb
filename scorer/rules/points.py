"""A cell of a points table as the paper form prints it: a number, a range the assessor fixes, or 标志性成果.

``level_points: {行业标准: 20-16, 国家标准: 标志性成果, 企业: 5}`` reads like the
form. A range ("30-0", "20-16", "1-2", "0〜5") means the applicant asks for a value
inside it and an assessor may set a lower one; 标志性成果 earns no invented points
and is reported as a finding beside the verdict.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from ..numbers import fmt
from .base import Points, Strict

LANDMARK = "标志性成果"
_RANGE = re.compile(r"^\s*(\d{1,9}(?:\.\d{1,9})?)\s*[-－~～〜至]\s*(\d{1,9}(?:\.\d{1,9})?)\s*$")


class PointRange(Strict):
    """Points an assessor fixes between ``lo`` and ``hi`` (the form may print them high-low)."""

    lo: Decimal
    hi: Decimal
    written: str = ""  # as the form prints it ("20-16", "1-2", "0〜5"): shown back to the reader unchanged

    def text(self) -> str:
        return self.written or f"{fmt(self.hi)}-{fmt(self.lo)}"

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi


def _parse(value: Any) -> Any:
    if isinstance(value, str) and value.strip() != LANDMARK:
        match = _RANGE.match(value)
        if match is None:
            raise ValueError(f"分值应为数字、区间（如 20-16、30-0）或「{LANDMARK}」，实际为「{value}」")
        try:
            a, b = Decimal(match.group(1)), Decimal(match.group(2))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise ValueError(f"无法识别的区间「{value}」") from None
        if a == b:
            return a
        return {"lo": min(a, b), "hi": max(a, b), "written": value.strip()}
    if isinstance(value, str):
        return LANDMARK
    return value


PointValue = Annotated[Points | PointRange | Literal["标志性成果"], BeforeValidator(_parse)]


def is_range(value: Any) -> bool:
    return isinstance(value, PointRange)


def is_landmark(value: Any) -> bool:
    return isinstance(value, str) and value == LANDMARK


def highest(value: Any) -> Decimal:
    """The most a cell can give: a range's top, a landmark's nothing."""
    if isinstance(value, PointRange):
        return value.hi
    if value == LANDMARK:
        return Decimal(0)
    return value  # type: ignore[no-any-return]


def cell_text(value: Any) -> str:
    if isinstance(value, PointRange):
        return value.text()
    if value == LANDMARK:
        return LANDMARK
    return fmt(value)
