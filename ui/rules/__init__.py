"""One input per rule shape, keyed by the same ``rule:`` name as ``scorer.rules.SHAPES``.

Each module here has ``answer_input(item)`` (the applicant's fill page) and
``review_value(item, answer, old, container)`` (the expert's new value for a
changed answer; None where the shape is only accepted or rejected). Adding a
shape adds one module here. No scoring logic: every number comes from scorer.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from scorer.model import ScoredItem

from . import band, choice, entries, flag, indicators, linear, record, tiers, tiers_by

INPUTS: dict[str, ModuleType] = {
    "band": band,
    "choice": choice,
    "entries": entries,
    "flag": flag,
    "indicators": indicators,
    "linear": linear,
    "record": record,
    "tiers": tiers,
    "tiers_by": tiers_by,
}


def answer_input(item: ScoredItem) -> None:
    INPUTS[item.rule].answer_input(item)


def review_value(item: ScoredItem, answer: Any, old: Any, container: Any) -> Any:
    """The reviewer's changed answer for a scalar item (None: the shape allows no new value)."""
    return INPUTS[item.rule].review_value(item, answer, old, container)
