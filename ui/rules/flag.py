"""flag: 是 / 否."""

from __future__ import annotations

from typing import Any

from scorer.rules.flag import FlagItem
from ui import widgets


def answer_input(item: FlagItem) -> None:
    widgets.yes_no(item.question or item.label, ("answers", item.id))


def review_value(item: FlagItem, answer: Any, old: Any, container: Any) -> bool:
    choice = container.radio("改为", ["是", "否"], index=0 if (old if old is not None else answer) else 1,
                             key=f"rv.{item.id}.value", horizontal=True)
    return bool(choice == "是")
