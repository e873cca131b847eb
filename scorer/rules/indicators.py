"""indicators: the applicant ticks indicators, each with its own proof; points by how many hold.

量化表现: 6-7项 20, 5项 18, 4项 16, 3项 12, 2项 10, 1项 5, 无 0. When the sheet lists
the indicators, only those can be ticked; when the form's list is not legible,
``max_count`` bounds how many the applicant may name. Each ticked indicator is
kept as an entry (its name and evidence), so the evidence checklist, the
reviewer (row by row) and the batch flags treat it like any listed achievement.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field

from ..entry import Entry
from ..errors import Problem
from ..numbers import fmt
from ..result import EntryResult
from ..safeyaml import Path
from .base import GapContext, ItemBase, Points, ScoreContext, Text, register
from .tiers import Tier, lint_tiers, tier_points

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker


@register
class IndicatorsItem(ItemBase):
    rule: Literal["indicators"]
    indicators: list[Text] = []
    max_count: Annotated[int, Field(ge=1)] | None = None
    tiers: list[Tier] = Field(min_length=1)  # min: how many indicators hold
    otherwise: Points = Decimal(0)

    reviewed_by_row: ClassVar[bool] = True
    reviewer_may_change: ClassVar[bool] = False

    @property
    def limit(self) -> int:
        return len(self.indicators) if self.indicators else (self.max_count or 0)

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> list[Entry] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            checker.problem(path, "应填所满足的指标列表（每条以 - 开头，写 indicator 与 evidence）")
            return None
        before = len(checker.problems)
        out: list[Entry] = []
        seen: set[str] = set()
        for i, raw in enumerate(value):
            where = (*path, i)
            if isinstance(raw, str):
                raw = {"indicator": raw}
            if not isinstance(raw, dict) or not isinstance(raw.get("indicator"), str) or not raw["indicator"].strip():
                checker.problem(where, "每条应写成 {indicator: 指标名称, evidence: [佐证材料]}")
                continue
            unknown = set(raw) - {"indicator", "evidence", "note", "files"}
            if unknown:
                checker.problem(where, f"未知字段「{'、'.join(sorted(unknown))}」；可填：indicator、evidence、note、files")
                continue
            name = checker.text(raw["indicator"], (*where, "indicator"), "指标名称")
            if name is None:
                continue
            name = name.strip()
            if self.indicators and name not in self.indicators:
                checker.problem((*where, "indicator"), f"「{name}」不是本项的指标；可选：{'、'.join(self.indicators)}")
                continue
            if name in seen:
                checker.problem((*where, "indicator"), f"指标「{name}」重复填写")
                continue
            seen.add(name)
            evidence = checker.evidence(raw.get("evidence"), (*where, "evidence"), f"指标「{name}」")
            note = checker.text(raw.get("note"), (*where, "note"), f"指标「{name}」的备注")
            files = checker.files(raw.get("files"), (*where, "files"), f"指标「{name}」")
            out.append(Entry(title=name, evidence=evidence, note=note, row=i, files=files))
        if len(out) > self.limit:
            checker.problem(path, f"本项最多 {self.limit} 项指标（填写了 {len(out)} 项）", beyond_bound=True)
        if len(checker.problems) > before:
            return None
        return out

    def answer_data(self, answer: list[Entry]) -> list[dict[str, Any]]:
        out = []
        for e in answer:
            row: dict[str, Any] = {"indicator": e.title}
            if e.evidence:
                row["evidence"] = list(e.evidence)
            if e.note:
                row["note"] = e.note
            if e.files:
                row["files"] = [f.to_data() for f in e.files]
            out.append(row)
        return out

    def claimed_text(self, answer: list[Entry]) -> str:
        return f"满足 {len(answer)} 项"

    def score(self, answer: list[Entry], ctx: ScoreContext, result: ItemResult) -> None:
        n = len(answer)
        result.claimed = f"满足 {n} 项"
        for i, entry in enumerate(answer):
            result.entries.append(EntryResult(i, entry, Decimal(0), True, ["计入满足的指标项数"], list(self.evidence)))
        result.raw, tier = tier_points(self.tiers, self.otherwise, Decimal(n))
        if tier is not None:
            result.say(f"满足 {n} 项（≥ {tier.min} 项）→ {fmt(result.raw)} 分")
        else:
            result.say(f"满足 {n} 项 → {fmt(result.raw)} 分")

    def raw_max(self) -> Decimal:
        reachable = [t.points for t in self.tiers if t.min <= self.limit]
        return max([*reachable, self.otherwise])

    def describe(self) -> str:
        bands = [f"{fmt(t.min)}项及以上 {fmt(t.points)}" for t in sorted(self.tiers, key=lambda t: t.min, reverse=True)]
        head = f"按满足的指标项数（共 {self.limit} 项）："
        return head + "；".join(bands) + f"；其余 {fmt(self.otherwise)}"

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        ticked = list(current) if isinstance(current, list) else []
        if len(ticked) >= self.limit:
            return []
        names = {e.title for e in ticked}
        free = [n for n in self.indicators if n not in names] or [f"（另一项指标{len(ticked) + 1}）"]
        return [(f"再满足一项指标「{free[0]}」", [*ticked, Entry(title=free[0])])]

    def lint(self, path: Path) -> Iterator[Problem]:
        yield from lint_tiers(self.tiers, (*path, "tiers"))
        if not self.indicators and self.max_count is None:
            yield Problem(path, "indicators 须列出指标，或在指标不可读时写 max_count（最多几项）")
        if self.indicators and self.max_count is not None:
            yield Problem((*path, "max_count"), "已列出指标时项数上限就是指标个数，请删除 max_count")
        if len(set(self.indicators)) != len(self.indicators):
            yield Problem((*path, "indicators"), "指标名称不能重复")
