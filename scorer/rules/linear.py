"""linear: a number -> points per unit, with an offset, a base, whole units, a floor.

Covers 每满30学时计1分 (whole units), (考试成绩 − 60) × 0.25 (offset, floor 0), and
"年均应缴税额390元得10分，每增加1500元增加1分" (offset 390, base 10, below_offset 0).
A negative ``points_per_unit`` is a deduction.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from ..errors import Problem
from ..numbers import fmt
from ..result import later
from ..safeyaml import Path
from .base import GapContext, ItemBase, NumberInput, Points, ScoreContext, register

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker

ONE = Decimal(1)


@register
class LinearItem(ItemBase):
    rule: Literal["linear"]
    input: NumberInput
    unit: Annotated[Decimal, Field(gt=0, le=10**9, max_digits=30, allow_inf_nan=False)] = ONE
    points_per_unit: Points
    offset: Points = Decimal(0)
    whole_units: bool = False  # 每满 N 学时计 1 分: only full units count
    floor: Points | None = None
    base: Points = Decimal(0)  # points at the offset itself ("390元得10分")
    below_offset: Points | None = None  # points for a value below the offset ("不足390元不得分": 0)

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> Decimal | None:
        return self.input.check(value, path, checker)

    def claimed_text(self, answer: Decimal) -> str:
        return self.input.shown(answer)

    def _units(self, value: Decimal) -> Decimal:
        units = (value - self.offset) / self.unit
        return units.to_integral_value(rounding=ROUND_FLOOR) if self.whole_units else units

    def points_for(self, value: Decimal) -> Decimal:
        if self.below_offset is not None and value < self.offset:
            return self.below_offset
        return self.base + self._units(value) * self.points_per_unit

    def score(self, answer: Decimal, ctx: ScoreContext, result: ItemResult) -> None:
        result.claimed = later(NumberInput.shown, self.input, answer)
        result.raw = self.points_for(answer)
        result.say(later(_linear_words, self, answer, result.raw))

    def after_cap(self, result: ItemResult) -> None:
        if self.floor is not None and result.capped < self.floor:
            result.capped = self.floor
            result.say(f"不低于 {fmt(self.floor)} 分")

    def raw_max(self) -> Decimal | None:
        if self.points_per_unit > 0:
            return None if self.input.max is None else self.points_for(self.input.max)
        # a deduction: the most is at the smallest value (or at the offset, when below it scores apart)
        candidates = [self.points_for(Decimal(0)), Decimal(0) if self.below_offset is None else self.below_offset]
        if self.offset > 0:
            candidates.append(self.base)
        best = max(candidates)
        return best if self.floor is None else max(best, self.floor)

    def describe(self) -> str:
        unit = self.input.unit or ""
        if self.whole_units and (self.offset or self.base):
            text = (f"{fmt(self.offset)}{unit} 得 {fmt(self.base)} 分，"
                    f"每增加满 {fmt(self.unit)}{unit} 加 {fmt(self.points_per_unit)} 分")
        elif self.whole_units:
            text = f"每满 {fmt(self.unit)}{unit} 计 {fmt(self.points_per_unit)} 分"
        elif self.offset:
            text = (f"{fmt(self.base)} + " if self.base else "") + (
                f"（{self.input.label} − {fmt(self.offset)}）× {fmt(self.points_per_unit)}"
            )
        else:
            text = (f"{fmt(self.base)} + " if self.base else "") + (
                f"每{'' if self.unit == 1 else fmt(self.unit)}{unit} {fmt(self.points_per_unit)} 分"
            )
        if self.below_offset is not None:
            text += f"；不足 {fmt(self.offset)}{unit} 得 {fmt(self.below_offset)} 分"
        if self.floor is not None:
            text += f"，不低于 {fmt(self.floor)}"
        return text

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        if self.points_per_unit <= 0:
            return []  # a deduction: no points to gain
        # unanswered: from nothing (below the offset when it scores apart, so the base is the first step)
        value = current if isinstance(current, Decimal) else (Decimal(0) if self.below_offset is not None else self.offset)
        if self.below_offset is not None and value < self.offset:
            target = self.offset
        elif self.whole_units:  # the next full unit
            target = self.offset + (self._units(value) + 1) * self.unit
        else:
            target = value + self.unit
        steps: list[tuple[str, Any]] = [(f"{self.input.label}达到 {self.input.shown(target)}", target)]
        if self.cap is not None:  # the value at which the item is full
            full = self.offset + (self.cap - self.base) / self.points_per_unit * self.unit
            if full > target:
                steps.append((f"{self.input.label}达到 {self.input.shown(full)}", full))
        limit = self.input.max
        return [(text, v) for text, v in steps if limit is None or v <= limit]

    def lint(self, path: Path) -> Iterator[Problem]:
        if self.points_per_unit > 0 and self.cap is None and self.input.max is None:
            yield Problem((*path, "cap"), "按数量计分的项目必须写 cap（封顶分）")
        if self.below_offset is not None and not self.offset:
            yield Problem((*path, "below_offset"), "below_offset 须与 offset 一起写（不足 offset 时的得分）")

    def roster_kind(self, field_name: str) -> str:
        return "number"


def _linear_words(item: LinearItem, answer: Decimal, points: Decimal) -> str:
    """The sum as a clerk redoes it (written in the exact context: it divides and multiplies again)."""
    unit = item.input.unit or ""
    claimed = item.input.shown(answer)
    if item.below_offset is not None and answer < item.offset:
        return f"{claimed} 不足 {fmt(item.offset)}{unit} → {fmt(item.below_offset)} 分"
    units = item._units(answer)
    base = f"({fmt(answer)} − {fmt(item.offset)})" if item.offset else claimed
    plus = f"{fmt(item.base)} + " if item.base else ""
    if item.whole_units:
        return (
            f"每满 {fmt(item.unit)}{unit} 计 {fmt(item.points_per_unit)} 分："
            f"{base} 满 {fmt(units)} 个 → {plus}{fmt(units * item.points_per_unit)}"
            + (f" = {fmt(points)} 分" if item.base else " 分")
        )
    if item.unit != ONE:
        return f"{plus}{base} ÷ {fmt(item.unit)} × {fmt(item.points_per_unit)} = {fmt(points)} 分"
    return f"{plus}{base} × {fmt(item.points_per_unit)} = {fmt(points)} 分"
