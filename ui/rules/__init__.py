"""One input per rule shape, keyed by the same ``rule:`` name as ``scorer.rules.SHAPES``.

Each module here has ``answer_input(item)`` (the applicant's fill page) and
``review_value(item, answer, old, container)`` (the expert's new value for a
changed answer; None where the shape is only accepted or rejected). Adding a
shape adds one module here. No scoring logic: every number comes from scorer.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from scorer.model import ScoredItem
from scorer.rules import SHAPES

# the input module of each registered shape: ui/rules/<rule name>.py (a missing one fails the registry test)
INPUTS: dict[str, ModuleType] = {name: importlib.import_module(f"{__name__}.{name}") for name in SHAPES}


def answer_input(item: ScoredItem) -> None:
    INPUTS[item.rule].answer_input(item)


def review_value(item: ScoredItem, answer: Any, old: Any, container: Any) -> Any:
    """The reviewer's changed answer for a scalar item (None: the shape allows no new value)."""
    return INPUTS[item.rule].review_value(item, answer, old, container)
