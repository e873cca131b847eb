"""linear: one number input, bounded by the item's own `input.max`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scorer.rules.linear import LinearItem
from ui.rules._number import number_input, review_number


def answer_input(item: LinearItem) -> None:
    number_input(item.id, item.input)


def review_value(item: LinearItem, answer: Any, old: Any, container: Any) -> Decimal:
    return review_number(item.id, item.input, answer, old, container)
