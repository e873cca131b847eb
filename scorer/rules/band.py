"""band: qualitative grades, each a fixed value or a range inside which a value is chosen.

``bands: {好: 20-16, 较好: 15-11, 一般: 10-5, 较差: 0}`` is one input: the grade and the
value within it (``{band: 较好, points: 13}``), not seventeen options. A single range
(职业道德 "其他 0〜5") and ranked levels with ranges (学历 博士 5-4 / 硕士 3-2 / 本科 1)
are bands too. A reviewer may choose another grade or a lower value inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..errors import Problem
from ..numbers import fmt
from ..safeyaml import Path
from .base import GapContext, ItemBase, ScoreContext, register
from .points import LANDMARK, PointRange, PointValue, cell_text, highest, is_range

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker


def answer_label(answer: Any) -> str | None:
    """The option or grade an answer names (for shapes and rules that read another item's answer)."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, dict) and isinstance(answer.get("band"), str):
        return answer["band"]
    return None


@register
class BandItem(ItemBase):
    rule: Literal["band"]
    bands: dict[str, PointValue] = Field(min_length=1)

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> dict[str, Any] | None:
        if value is None or value == {}:
            return None  # a draft whose grade is not chosen yet
        if isinstance(value, str):
            value = {"band": value}
        if not isinstance(value, dict) or set(value) - {"band", "points"}:
            checker.problem(path, f"应写成 {{band: 档次, points: 分值}}；档次可选：{'、'.join(self.bands)}")
            return None
        band = checker.option(value.get("band"), list(self.bands), (*path, "band"), "档次")
        if band is None:
            if value.get("band") is None:
                checker.problem((*path, "band"), f"缺少 band（档次）；可选：{'、'.join(self.bands)}")
            return None
        cell = self.bands[band]
        if is_range(cell):
            if value.get("points") is None:
                return {"band": band}  # the grade is chosen, the value not yet: scored as pending, never guessed
            points = checker.number(value["points"], (*path, "points"), what="分值")
            if points is None:
                return None
            if not cell.contains(points):
                checker.problem((*path, "points"), f"分值 {fmt(points)} 不在「{band}」档 {cell.text()} 分内")
                return None
            return {"band": band, "points": points}
        if value.get("points") is not None:
            points = checker.number(value["points"], (*path, "points"), what="分值")
            if points is not None and points != highest(cell):
                checker.problem((*path, "points"), f"「{band}」档固定为 {cell_text(cell)} 分，不能填 {fmt(points)}")
                return None
        return {"band": band}

    def _value(self, answer: dict[str, Any]) -> Decimal:
        cell = self.bands[answer["band"]]
        if is_range(cell):
            return answer.get("points", Decimal(0))
        return highest(cell)

    def claimed_text(self, answer: dict[str, Any]) -> str:
        cell = self.bands[answer["band"]]
        if is_range(cell) and "points" in answer:
            return f"{answer['band']} {fmt(answer['points'])}"
        return answer["band"]

    def score(self, answer: dict[str, Any], ctx: ScoreContext, result: ItemResult) -> None:
        band = answer["band"]
        cell = self.bands[band]
        result.claimed = self.claimed_text(answer)
        result.raw = self._value(answer)
        if is_range(cell) and "points" not in answer:
            result.say(f"「{band}」（{cell.text()} 分）尚未填写分值，暂计 0 分")
            ctx.pending.append(f"{self.label}：已选「{band}」档，请在 {cell.text()} 分内填写分值（points）")
        elif is_range(cell):
            result.say(f"「{band}」（{cell.text()} 分）取 {fmt(result.raw)} 分")
        elif cell == LANDMARK:
            result.say(f"「{band}」为{LANDMARK}，不计分值")
            ctx.findings.append(f"{self.label}「{band}」：{LANDMARK}，以评委会认定为准")
        else:
            result.say(f"「{band}」→ {fmt(result.raw)} 分")

    def raw_max(self) -> Decimal:
        return max(highest(c) for c in self.bands.values())

    def describe(self) -> str:
        return "档次：" + "、".join(f"{k} {cell_text(v)}" for k, v in self.bands.items())

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        chosen = current.get("band") if isinstance(current, dict) and current.get("band") in self.bands else None
        now = self._value(current) if chosen is not None else None
        steps = []
        for band, cell in self.bands.items():
            top = highest(cell)
            if now is not None and top <= now:
                continue
            answer: dict[str, Any] = {"band": band, "points": top} if isinstance(cell, PointRange) else {"band": band}
            words = f"在「{band}」档内提高到 {fmt(top)} 分" if band == chosen else f"评为「{band}」（{cell_text(cell)} 分）"
            steps.append((top, words, answer))
        steps.sort(key=lambda s: s[0])
        return [(text, answer) for _, text, answer in steps]

    def answer_labels(self, field_name: str = "") -> list[str] | None:
        return None if field_name else list(self.bands)

    def lint(self, path: Path) -> Iterator[Problem]:
        if all(highest(c) == 0 for c in self.bands.values()):
            yield Problem((*path, "bands"), "各档都是 0 分，本项不会得分")
