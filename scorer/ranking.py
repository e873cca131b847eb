"""A ranked sheet's recommendation list: groups by 申报专业, an exam cut per group, then rank by total.

Seed 004 (永人社〔2021〕23号 六、评审流程) fixes the order: a theory exam whose results eliminate
"不低于10%" of each specialty, the expert's review, then the rest ranked by total, high to low,
and published. A sheet declares it (no code is special to one county)::

    ranking:
      group_by: gates.specialty_in_catalogue.specialty   # the 申报专业 the sheet already asks
      exam: {item: exam_score, eliminate_share: 0.1}     # 各专业淘汰率不低于10%
      source_text: 考试成绩各专业淘汰率不低于10%……总分从高分到低分提出推荐意见

Readings taken (the notice says no more; the README states them too):

- **How many.** "不低于10%" is a floor, so a group of n examined applicants loses at least
  ceil(10% x n): 10 → 1, 11 → 2, and a group of one or two loses one. The literal reading, since
  "at least 10%" of one person cannot be met by eliminating nobody; the committee may decide otherwise.
- **Ties at the cut.** Equal exam scores are not separated: everyone with a score at or below the
  cut score (the lowest score kept out) is eliminated, so the share can exceed the floor, never fall under it.
- **No exam score** (缺考): not examined, so not in the share, not ranked, listed as 缺考.
- **Rank.** The rest by total within the group, high to low; equal totals share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from .errors import Problem
from .numbers import exact, fmt
from .result import VERDICT_PENDING, VERDICT_RANKED
from .rules.base import Ident, Strict, Text

if TYPE_CHECKING:
    from .checks import Listed
    from .model import Sheet

ELIMINATED, ABSENT = "考试淘汰", "缺考"


class ExamCut(Strict):
    item: Ident  # the sheet's item holding the exam score (a number input)
    eliminate_share: Annotated[Decimal, Field(gt=0, le=1, max_digits=6, allow_inf_nan=False)]


class Ranking(Strict):
    """How a ranked sheet's applicants become a recommendation list (see the module's docstring)."""

    group_by: Annotated[str, Field(pattern=r"^(gates\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*|answers\.[a-z][a-z0-9_]*)$")]
    exam: ExamCut | None = None
    source_text: Text | None = None


@dataclass
class Placed:
    """One applicant's place in the list: the group, the exam score and what became of it, the rank."""

    group: str
    exam: Decimal | None = None
    status: str | None = None  # ELIMINATED, ABSENT or None (kept, ranked)
    rank: int | None = None


@dataclass
class GroupSummary:
    group: str
    applicants: int
    examined: int
    eliminated: int
    absent: int
    cut_score: Decimal | None  # the highest exam score eliminated (None: no one eliminated)
    required: int  # ceil(share x examined): the fewest the notice allows

    def text(self) -> str:
        cut = f"，淘汰线 {fmt(self.cut_score)} 分及以下" if self.cut_score is not None else ""
        return (f"{self.group}：{self.applicants} 人，参考 {self.examined} 人，考试淘汰 {self.eliminated} 人"
                f"（至少 {self.required} 人）{cut}" + (f"，缺考 {self.absent} 人" if self.absent else ""))


@dataclass
class RankedList:
    """Every applicant of one ranked sheet placed, and a summary per group."""

    sheet_id: str
    places: dict[int, Placed] = field(default_factory=dict)  # id(row) -> place
    groups: list[GroupSummary] = field(default_factory=list)


def eliminated_count(examined: int, share: Decimal) -> int:
    """At least ``share`` of ``examined``: ceil, in exact decimal (10 → 1, 11 → 2, 1 → 1, 0 → 0)."""
    with exact():
        return math.ceil(share * examined) if examined else 0


def exam_cut(scores: list[Decimal], share: Decimal) -> Decimal | None:
    """The cut score: the required number of lowest scores, widened to every score equal to the last one."""
    need = eliminated_count(len(scores), share)
    return sorted(scores)[need - 1] if need else None


def group_value(sheet: Sheet, claims: Any, path: str) -> str | None:
    head, _, rest = path.partition(".")
    if head == "gates":
        gate_id, _, name = rest.partition(".")
        value = claims.gates.get(gate_id)
        value = value.get(name) if isinstance(value, dict) else None
    else:
        value = claims.answers.get(rest)
    return value if isinstance(value, str) else None


def exam_score(claims: Any, cut: ExamCut) -> Decimal | None:
    value = claims.answers.get(cut.item)
    return value if isinstance(value, Decimal) else None


def place(sheet: Sheet, rows: Sequence[Listed]) -> RankedList:
    """The recommendation list of one sheet's applicants (rows of that sheet only; each row says its
    申报专业 and exam score through ``rank_facts``)."""
    spec = sheet.ranking
    assert spec is not None
    out = RankedList(sheet.id)
    groups: dict[str, list[Listed]] = defaultdict(list)
    facts = {id(row): row.rank_facts() for row in rows}
    for row in rows:
        groups[facts[id(row)][0] or "（未填写申报专业）"].append(row)
    for name in sorted(groups):
        members = groups[name]
        places = {id(r): Placed(name) for r in members}
        cut_score: Decimal | None = None
        required = 0
        if spec.exam is not None:
            for r in members:
                places[id(r)].exam = facts[id(r)][1]
            scores = [p.exam for p in places.values() if p.exam is not None]
            required = eliminated_count(len(scores), spec.exam.eliminate_share)
            cut_score = exam_cut(scores, spec.exam.eliminate_share)
            for p in places.values():
                if p.exam is None:
                    p.status = ABSENT
                elif cut_score is not None and p.exam <= cut_score:
                    p.status = ELIMINATED
        kept = sorted((r for r in members if places[id(r)].status is None), key=lambda r: r.result.total, reverse=True)
        for i, r in enumerate(kept):
            tie = i > 0 and kept[i - 1].result.total == r.result.total
            places[id(r)].rank = places[id(kept[i - 1])].rank if tie else i + 1
        out.places.update(places)
        statuses = [p.status for p in places.values()]
        out.groups.append(GroupSummary(name, len(members), len(members) - statuses.count(ABSENT),
                                       statuses.count(ELIMINATED), statuses.count(ABSENT), cut_score, required))
    return out


def listed_verdict(verdict: str, place: Placed | None) -> str:
    """The 结论 a batch lists for an applicant: 考试淘汰 or 缺考 when the exam cut took the applicant out of the
    ranking (their own verdict, 按总分排名 or 待确认, is only what one file says before the group's scores are
    known); 否决 and 不符合申报条件 stand whatever the exam said."""
    if place is None or place.status not in (ELIMINATED, ABSENT) or verdict not in (VERDICT_RANKED, VERDICT_PENDING):
        return verdict
    return place.status


def status_text(p: Placed, summary: GroupSummary | None) -> str:
    if p.status == ELIMINATED:
        return f"{ELIMINATED}（本专业淘汰线 {fmt(summary.cut_score)} 分）" if summary and summary.cut_score is not None \
            else ELIMINATED
    return p.status or ""


def what_it_means(sheet: Sheet) -> str | None:
    """For one applicant's own result page: the cut is known only for the whole group."""
    spec = sheet.ranking
    if spec is None or spec.exam is None:
        return None
    share = fmt(spec.exam.eliminate_share * 100)
    return (f"本表按申报专业分组：每个专业参加考试的人中，考试成绩最低的至少 {share}%（向上取整，1 人的专业也淘汰 1 人；"
            f"同分一并淘汰）被淘汰，其余按总分从高到低排名推荐。淘汰线要等本专业全部成绩出来才知道，"
            f"本页的总分不代表能否通过考试这一关。")


def lint(sheet: Sheet) -> Iterator[Problem]:
    """A ranking on a sheet that is not ranked, or naming what the sheet does not ask."""
    spec = sheet.ranking
    if spec is None:
        return
    if sheet.threshold.kind != "rank":
        yield Problem(("ranking",), "只有按总分排名的评分表（threshold.kind: rank）才能设 ranking")
    head, _, rest = spec.group_by.partition(".")
    if head == "gates":
        gate_id, _, name = rest.partition(".")
        gate = next((g for g in sheet.gates if g.id == gate_id), None)
        spec_field = (gate.fields or {}).get(name) if gate is not None else None
        if spec_field is None or spec_field.type != "choice":
            yield Problem(("ranking", "group_by"), f"「{spec.group_by}」不是本表申报条件中的选择题")
    else:
        item = sheet.items.get(rest)
        if item is None or item.rule != "choice":
            yield Problem(("ranking", "group_by"), f"「{spec.group_by}」不是本表的选择题")
    if spec.exam is not None:
        item = sheet.items.get(spec.exam.item)
        if item is None or getattr(item, "input", None) is None:
            yield Problem(("ranking", "exam", "item"), f"「{spec.exam.item}」不是本表中填写分数的项目")
