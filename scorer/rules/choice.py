"""choice: pick one option, each worth its points (学历: 本科 5 / 大专 3)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ..errors import Problem
from ..numbers import fmt
from ..result import later
from ..safeyaml import Path
from .base import GapContext, ItemBase, Points, ScoreContext, register

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker


def pairs(table: dict[str, Decimal], sep: str = " ") -> str:
    return "、".join(f"{k}{sep}{fmt(v)}" for k, v in table.items())


@register
class ChoiceItem(ItemBase):
    rule: Literal["choice"]
    options: dict[str, Points]

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> str | None:
        return checker.option(value, list(self.options), path)

    def score(self, answer: str, ctx: ScoreContext, result: ItemResult) -> None:
        result.claimed = answer
        result.raw = self.options[answer]
        result.say(later(_chosen_words, answer, result.raw))

    def raw_max(self) -> Decimal:
        return max(self.options.values(), default=Decimal(0))

    def describe(self) -> str:
        return "选项：" + pairs(self.options)

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        now = self.options.get(current) if isinstance(current, str) else None
        better = sorted(((k, v) for k, v in self.options.items() if now is None or v > now), key=lambda kv: kv[1])
        return [(f"改选「{k}」", k) for k, _ in better]

    def answer_labels(self, field_name: str = "") -> list[str] | None:
        return None if field_name else list(self.options)

    def lint(self, path: Path) -> Iterator[Problem]:
        if not self.options:
            yield Problem((*path, "options"), "至少需要一个选项")
        for label, points in self.options.items():
            if points < 0:
                yield Problem((*path, "options", label),
                              f"选项分值不能为负数（{fmt(points)}）；扣分项请用 linear 的负 points_per_unit")


def _chosen_words(answer: str, points: Decimal) -> str:
    return f"「{answer}」→ {fmt(points)} 分"
