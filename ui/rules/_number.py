"""The number a tiers or linear item asks for (shared by both shapes' inputs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scorer.rules.base import NumberInput
from ui import widgets


def number_input(item_id: str, spec: NumberInput) -> None:
    widgets.number(spec.label, ("answers", item_id), unit=spec.unit, integer=spec.integer, max_value=spec.max)


def review_number(item_id: str, spec: NumberInput, answer: Any, old: Any, container: Any) -> Decimal:
    start = old if old is not None else answer
    got = container.number_input(
        "改为", min_value=0.0, max_value=None if spec.max is None else float(spec.max), step=1.0 if spec.integer else 0.5,
        format="%d" if spec.integer else "%g", key=f"rv.{item_id}.value", value=float(Decimal(str(start))),
    )
    return Decimal(str(got))
