"""tiers: a number scored by bands (工作年限 >=10: 5, >=8: 4, >=5: 3, otherwise 0)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..errors import Problem
from ..numbers import fmt
from ..result import later
from ..safeyaml import Path
from .base import GapContext, ItemBase, NonNegative, NumberInput, Points, ScoreContext, Strict, register

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker


class Tier(Strict):
    min: NonNegative
    points: Points


def tier_points(tiers: list[Tier], otherwise: Decimal, value: Decimal) -> tuple[Decimal, Tier | None]:
    """The points of the highest band the value reaches, and that band (None: below every band)."""
    for tier in sorted(tiers, key=lambda t: t.min, reverse=True):
        if value >= tier.min:
            return tier.points, tier
    return otherwise, None


def lint_tiers(tiers: list[Tier], path: Path) -> Iterator[Problem]:
    mins = [t.min for t in tiers]
    if len(set(mins)) != len(mins):
        yield Problem(path, "档位的 min 不能重复")


def describe_tiers(tiers: list[Tier], otherwise: Decimal, unit: str) -> str:
    bands = [f"≥{fmt(t.min)}{unit} {fmt(t.points)}" for t in sorted(tiers, key=lambda t: t.min, reverse=True)]
    return "；".join(bands) + f"；其余 {fmt(otherwise)}"


def explain_tier(value_text: str, unit: str, tiers: list[Tier], tier: Tier | None, points: Decimal) -> str:
    if tier is not None:
        return f"{value_text} ≥ {fmt(tier.min)}{unit} → {fmt(points)} 分"
    return f"{value_text} < {fmt(min(t.min for t in tiers))}{unit} → {fmt(points)} 分"


@register
class TiersItem(ItemBase):
    rule: Literal["tiers"]
    input: NumberInput
    tiers: list[Tier] = Field(min_length=1)
    otherwise: Points = Decimal(0)

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> Decimal | None:
        return self.input.check(value, path, checker)

    def claimed_text(self, answer: Decimal) -> str:
        return self.input.shown(answer)

    def score(self, answer: Decimal, ctx: ScoreContext, result: ItemResult) -> None:
        result.claimed = later(NumberInput.shown, self.input, answer)
        result.raw, tier = tier_points(self.tiers, self.otherwise, answer)
        result.say(later(_tier_words, self.input, answer, self.tiers, tier, result.raw))

    def raw_max(self) -> Decimal:
        return max([t.points for t in self.tiers] + [self.otherwise])

    def describe(self) -> str:
        return describe_tiers(self.tiers, self.otherwise, self.input.unit or "")

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        value = current if isinstance(current, Decimal) else Decimal(0)
        higher = sorted(t.min for t in self.tiers if t.min > value and (self.input.max is None or t.min <= self.input.max))
        return [(f"{self.input.label}达到 {self.input.shown(m)}", m) for m in higher]

    def lint(self, path: Path) -> Iterator[Problem]:
        yield from lint_tiers(self.tiers, (*path, "tiers"))

    def roster_kind(self, field_name: str) -> str:
        return "number"


def _tier_words(number: NumberInput, value: Decimal, tiers: list[Tier], tier: Tier | None, points: Decimal) -> str:
    return explain_tier(number.shown(value), number.unit or "", tiers, tier, points)
