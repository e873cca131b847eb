"""flag: yes / no -> points; also the conditions of a "3 of 6" sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ..numbers import fmt
from ..result import later
from ..safeyaml import Path
from .base import GapContext, ItemBase, Points, ScoreContext, register

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker


@register
class FlagItem(ItemBase):
    rule: Literal["flag"]
    question: str | None = None
    points: Points = Decimal(1)

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> bool | None:
        return checker.flag(value, path)

    def score(self, answer: bool, ctx: ScoreContext, result: ItemResult) -> None:
        result.claimed = "是" if answer else "否"
        result.raw = self.points if answer else Decimal(0)
        result.say(later(_flag_words, result.claimed, result.raw))

    def raw_max(self) -> Decimal:
        return self.points

    def describe(self) -> str:
        return f"是 → {fmt(self.points)}"

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        return [] if current is True else [(f"满足：{self.question or self.label}", True)]

    def roster_kind(self, field_name: str) -> str:
        return "flag"


def _flag_words(claimed: str, points: Decimal) -> str:
    return f"{claimed} → {fmt(points)} 分"
