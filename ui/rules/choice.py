"""choice: one select box, each option with its points."""

from __future__ import annotations

from typing import Any

from scorer.rules.choice import ChoiceItem
from ui import widgets


def answer_input(item: ChoiceItem) -> None:
    widgets.choice(item.label, ("answers", item.id), list(item.options), item.options)


def review_value(item: ChoiceItem, answer: Any, old: Any, container: Any) -> Any:
    options = list(item.options)
    return container.selectbox("改为", options, index=options.index(old) if old in options else 0,
                               key=f"rv.{item.id}.value")
