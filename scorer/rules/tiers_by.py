"""tiers_by: a number scored by bands that depend on another answer (年限 by 学历).

基层专业工作年限 by 学历: 博士 5年 10 / 1年 5; 硕士 8年 / 3年; 本科 12年 / 5年 ... The row
is taken from another item's answer or a gate field (``by``), so the applicant
answers 学历 once; ``by_map`` translates that answer's labels into row labels, and
where one label stands for several rows (大专及以下 -> 大专 or 中专以下) the answer
names its ``row``. Without ``by`` the answer always names its row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from ..errors import Problem
from ..numbers import fmt
from ..result import later
from ..safeyaml import Path
from .band import answer_label
from .base import GapContext, ItemBase, NumberInput, Points, ScoreContext, Text, register
from .tiers import Tier, describe_tiers, explain_tier, lint_tiers, tier_points

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker

ByPath = Annotated[str, Field(pattern=r"^(answers\.[a-z][a-z0-9_]*|gates\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)$")]


@register
class TiersByItem(ItemBase):
    rule: Literal["tiers_by"]
    input: NumberInput
    row_label: Text = "行"  # what the rows are called (学历)
    rows: dict[str, list[Tier]] = Field(min_length=1)
    otherwise: Points = Decimal(0)
    by: ByPath | None = None
    by_map: dict[str, Text | list[Text]] = {}

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> dict[str, Any] | None:
        if value is None or value == {}:
            return None  # a draft with nothing typed yet
        if not isinstance(value, dict):
            value = {"value": value}
        unknown = set(value) - {"value", "row"}
        if unknown:
            checker.problem(path, f"未知字段「{'、'.join(sorted(unknown))}」；应写成 {{value: 数值, row: {self.row_label}}}")
            return None
        number = self.input.check(value.get("value"), (*path, "value"), checker)
        row = checker.option(value.get("row"), list(self.rows), (*path, "row"), self.row_label)
        if value.get("value") is None:
            checker.problem((*path, "value"), f"缺少 value（{self.input.label}）")
        if value.get("row") is None and self.by is None:
            checker.problem((*path, "row"), f"缺少 row（{self.row_label}）；可选：{'、'.join(self.rows)}")
        if number is None or (value.get("row") is not None and row is None) or (row is None and self.by is None):
            return None
        return {"value": number} | ({"row": row} if row is not None else {})

    def answer_data(self, answer: dict[str, Any]) -> Any:
        return answer["value"] if set(answer) == {"value"} else answer

    def claimed_text(self, answer: dict[str, Any]) -> str:
        row = f"（{answer['row']}）" if answer.get("row") else ""
        return self.input.shown(answer["value"]) + row

    def rows_for(self, ctx_answers: dict[str, Any], ctx_gates: dict[str, Any]) -> tuple[list[str], str | None]:
        """The rows the ``by`` answer allows, and that answer's label (None: unanswered)."""
        assert self.by is not None
        head, _, rest = self.by.partition(".")
        if head == "answers":
            label = answer_label(ctx_answers.get(rest))
        else:
            gate, _, name = rest.partition(".")
            record = ctx_gates.get(gate)
            label = answer_label(record.get(name)) if isinstance(record, dict) else None
        if label is None:
            return [], None
        mapped = self.by_map.get(label, label)
        rows = [mapped] if isinstance(mapped, str) else list(mapped)
        return [r for r in rows if r in self.rows], label

    def score(self, answer: dict[str, Any], ctx: ScoreContext, result: ItemResult) -> None:
        value = answer["value"]
        result.claimed = self.claimed_text(answer)
        row = answer.get("row")
        if self.by is not None:
            rows, label = self.rows_for(ctx.answers, ctx.gates)
            if label is None:
                result.say(f"尚未填写{self.row_label}，无法确定按哪一行计分，暂计 0 分")
                ctx.pending.append(f"{self.label}：请先填写{self.row_label}")
                return
            if not rows:
                result.say(f"{self.row_label}「{label}」不在本项各行中，计 {fmt(self.otherwise)} 分")
                result.raw = self.otherwise
                return
            if row is None and len(rows) == 1:
                row = rows[0]
            elif row is None or row not in rows:
                choice = "、".join(rows)
                given = f"填写的「{row}」与之不符；" if row else ""
                result.say(f"{self.row_label}「{label}」对应 {choice}，{given}请注明按哪一行计分，暂计 0 分")
                ctx.pending.append(f"{self.label}：{self.row_label}「{label}」对应 {choice}，请注明 row")
                return
        assert row is not None
        tiers = self.rows[row]
        result.raw, tier = tier_points(tiers, self.otherwise, value)
        result.say(later(_row_words, self.input, row, value, tiers, tier, result.raw))

    def raw_max(self) -> Decimal:
        return max([t.points for tiers in self.rows.values() for t in tiers] + [self.otherwise])

    def describe(self) -> str:
        unit = self.input.unit or ""
        text = "；".join(f"{row} {describe_tiers(tiers, self.otherwise, unit).rsplit('；', 1)[0]}"
                        for row, tiers in self.rows.items())
        source = f"（{self.row_label}按本表已填写的相应答案确定）" if self.by else ""
        return f"按{self.row_label}：{text}；其余 {fmt(self.otherwise)}{source}"

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        if not isinstance(current, dict):
            return []
        row = current.get("row")
        if row is None and self.by is not None:
            rows, _ = self.rows_for(ctx.answers, {})
            row = rows[0] if len(rows) == 1 else None
        if row not in self.rows:
            return []
        higher = sorted(t.min for t in self.rows[row] if t.min > current["value"]
                        and (self.input.max is None or t.min <= self.input.max))
        return [(f"{self.input.label}达到 {self.input.shown(m)}", {**current, "value": m}) for m in higher]

    def lint(self, path: Path) -> Iterator[Problem]:
        for row, tiers in self.rows.items():
            yield from lint_tiers(tiers, (*path, "rows", row))
        for label, mapped in self.by_map.items():
            for row in [mapped] if isinstance(mapped, str) else mapped:
                if row not in self.rows:
                    yield Problem((*path, "by_map", label), f"「{row}」不是本项的行：{'、'.join(self.rows)}")
        if self.by_map and self.by is None:
            yield Problem((*path, "by_map"), "by_map 须与 by 一起写")

    def lint_in_sheet(self, path: Path, labels_of: Callable[[str], list[str] | None],
                      exists: Callable[[str], bool]) -> Iterator[Problem]:
        if self.by is None:
            return
        where = (*path, "by")
        if not exists(self.by):
            yield Problem(where, f"「{self.by}」不是本表的项目或申报条件字段")
            return
        labels = labels_of(self.by)
        if labels is None:
            yield Problem(where, f"「{self.by}」不是选项类的答案（choice / band / 选项字段），无法据此选行")
            return
        for label in labels:
            mapped = self.by_map.get(label, label)
            for row in [mapped] if isinstance(mapped, str) else mapped:
                if row not in self.rows:
                    yield Problem(where, f"「{self.by}」的选项「{label}」对应不到本项的行（{'、'.join(self.rows)}）；"
                                         "请在 by_map 中写明")

    def roster_kind(self, field_name: str) -> str:
        return "number" if field_name in ("", "value") else "text"


def _row_words(number: NumberInput, row: str, value: Decimal, tiers: list[Tier], tier: Tier | None, points: Decimal) -> str:
    return f"按{row}：{explain_tier(number.shown(value), number.unit or '', tiers, tier, points)}"
