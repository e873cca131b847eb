"""The number a tiers or linear item asks for (shared by both shapes' inputs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scorer.numbers import fmt
from scorer.rules.base import NumberInput
from ui import widgets


def number_input(item_id: str, spec: NumberInput) -> None:
    widgets.number(spec.label, ("answers", item_id), unit=spec.unit, integer=spec.integer, max_value=spec.max)


def review_number(item_id: str, spec: NumberInput, answer: Any, old: Any, container: Any) -> Decimal | None:
    """The reviewer's new number, typed and read exactly (None while empty or invalid: the reason is shown)."""
    key = f"rv.{item_id}.value"
    widgets.seed(key, fmt(answer) if old is None else str(old))
    _, got = widgets.exact_number("改为", key, what="改为的数值", integer=spec.integer, max_value=spec.max, min_value=Decimal(0),
                                  container=container)
    return got
