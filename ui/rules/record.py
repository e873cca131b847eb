"""record: one input per field; a reviewer accepts or rejects it (its fields follow documents)."""

from __future__ import annotations

from typing import Any

from scorer.rules.record import RecordItem
from ui import widgets


def answer_input(item: RecordItem) -> None:
    widgets.record_fields(item.fields, ("answers", item.id))


def review_value(item: RecordItem, answer: Any, old: Any, container: Any) -> None:
    return None
