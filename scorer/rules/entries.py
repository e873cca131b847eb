"""entries: a list of achievements (projects, papers, awards ...), each priced, then aggregated.

One entry's points come from one points table -- by level, by role, by level and
role, by category x level x role, or flat -- times a role and a rank coefficient
(the last rank coefficient repeats: "之后均按0.3计"). A cell may be a range the
assessor fixes (the entry then carries the points asked for) or 标志性成果 (no
points; a finding beside the verdict). The item then aggregates:

- ``sum``: added up, optionally with sub-caps per level (专利 10, of which
  实用新型 at most 4) and levels counted per N entries ("其他 0.5分/2项");
- ``max``: only the best entry counts (按最高一项计分，不累计);
- ``count``: at least ``min_count`` qualifying entries earn ``points``;
- ``representative_plus_bonus``: one representative entry (named by the applicant,
  else the best by level, then role, then the first listed) gives its level's
  ``start``; every other entry adds a bonus (``bonus`` by level x role coefficient,
  or ``level_role_bonus`` by level and role), rank coefficients on both; the item
  may not pass the next level's start.

Entries outside the window, without a date, or lacking a required entry flag are
left out with the reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field, StrictBool

from ..entry import ENTRY_KEYS, Entry
from ..errors import Problem
from ..numbers import fmt
from ..result import EntryResult, later
from ..safeyaml import Path
from .answers import CONTROL_CHARS
from .base import GapContext, Ident, ItemBase, NonNegative, Points, ScoreContext, Strict, Text, register
from .choice import pairs
from .points import LANDMARK, PointValue, cell_text, highest, is_landmark, is_range

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker

ZERO, ONE = Decimal(0), Decimal(1)
MOST_RANK = Decimal(999)
_ENTRY_KEY_SET = frozenset(ENTRY_KEYS)
POINT_TABLES = ("level_points", "role_points", "level_role_points", "category_level_role_points", "entry_points")
_FIXED_SUFFIX = "（请删除 points）"
DEFAULT_FINDING = "具备标志性成果，可按标志性业绩直接申报，以评委会认定为准"

# which optional keys each aggregate reads; lint refuses the others, so no key is accepted and ignored
_COMMON = {"entry_flags", "windowed", "level_notes", "entry_may_exceed_cap", "landmark_levels", "landmark_finding",
           "max_entries", "field_labels"}
AGGREGATE_KEYS: dict[str, set[str]] = {
    "sum": _COMMON | set(POINT_TABLES) | {"role_coefficients", "rank_coefficients", "group_size", "level_caps"},
    "max": _COMMON | set(POINT_TABLES) | {"role_coefficients", "rank_coefficients"},
    "count": _COMMON | set(POINT_TABLES) | {"min_count", "points"},
    "representative_plus_bonus": _COMMON
    | {"start", "bonus", "level_role_bonus", "role_coefficients", "rank_coefficients", "role_on_start"},
}
_BASE_KEYS = set(ItemBase.model_fields) | {"aggregate"}
FIELD_NAMES = {"category": "类别", "level": "级别", "role": "角色", "rank": "本人排名", "points": "申报分值"}


class EntryFlag(Strict):
    label: Text
    counts_when: StrictBool


@register
class EntriesItem(ItemBase):
    reviewed_by_row: ClassVar[bool] = True

    rule: Literal["entries"]
    aggregate: Literal["sum", "max", "count", "representative_plus_bonus"]
    level_points: dict[str, PointValue] | None = None
    role_points: dict[str, PointValue] | None = None
    level_role_points: dict[str, dict[str, PointValue]] | None = None
    category_level_role_points: dict[str, dict[str, dict[str, PointValue]]] | None = None
    entry_points: Points | None = None
    role_coefficients: dict[str, NonNegative] | None = None
    rank_coefficients: list[NonNegative] | None = None
    start: dict[str, Points] | None = None  # representative_plus_bonus, levels high -> low
    bonus: dict[str, Points] | None = None
    level_role_bonus: dict[str, dict[str, Points]] | None = None  # 附加分 by level and role
    role_on_start: bool = False  # the representative's start is multiplied by its role coefficient too
    min_count: Annotated[int, Field(ge=1)] | None = None  # count
    points: Points | None = None  # count: points when min_count is reached
    group_size: dict[str, Annotated[int, Field(ge=2)]] = {}  # "0.5分/2项": points per whole group of N entries
    level_caps: dict[str, NonNegative] = {}  # 小计 per level inside the item cap
    max_entries: Annotated[int, Field(ge=1)] | None = None  # the most entries anyone can have (3 年度优秀 in 近三年)
    entry_flags: dict[Ident, EntryFlag] = {}
    windowed: bool = True
    level_notes: dict[str, Text] = {}
    landmark_levels: list[Text] = []  # levels that are 标志性成果 although they also earn points
    landmark_finding: Text | None = None  # the finding's words, when the notice words it otherwise
    entry_may_exceed_cap: str | None = None  # why a single entry may score above the cap
    field_labels: dict[Literal["category", "level", "role", "rank", "points"], Text] = {}

    # --- the tables -------------------------------------------------------------------------------
    @cached_property
    def categories(self) -> list[str]:
        return list(self.category_level_role_points or {})

    @cached_property
    def levels(self) -> list[str]:
        if self.category_level_role_points:
            return list(dict.fromkeys(lv for rows in self.category_level_role_points.values() for lv in rows))
        for table in (self.start, self.level_role_points, self.level_points):
            if table:
                return list(table)
        return []

    @cached_property
    def roles(self) -> list[str]:
        if self.category_level_role_points:
            return list(
                dict.fromkeys(r for rows in self.category_level_role_points.values() for row in rows.values() for r in row)
            )
        for nested in (self.level_role_points, self.level_role_bonus):
            if nested:
                return list(next(iter(nested.values())))
        for table in (self.role_points, self.role_coefficients):
            if table:
                return list(table)
        return []

    def field_label(self, name: str) -> str:
        return self.field_labels.get(name, FIELD_NAMES[name])  # type: ignore[call-overload]

    def cell(self, entry: Entry) -> Any:
        """The table cell one entry falls in (a number, a range or 标志性成果); None when not scored."""
        level, role = entry.level or "", entry.role or ""
        if self.category_level_role_points is not None:
            return self.category_level_role_points.get(entry.category or "", {}).get(level, {}).get(role)
        if self.level_role_points is not None:
            return self.level_role_points.get(level, {}).get(role)
        if self.level_points is not None:
            return self.level_points.get(level)
        if self.role_points is not None:
            return self.role_points.get(role)
        return self.entry_points

    def cells(self) -> list[Any]:
        if self.category_level_role_points:
            return [c for rows in self.category_level_role_points.values() for row in rows.values() for c in row.values()]
        if self.level_role_points:
            return [c for row in self.level_role_points.values() for c in row.values()]
        for table in (self.level_points, self.role_points):
            if table:
                return list(table.values())
        return [self.entry_points or ZERO]

    def level_cell(self, level: str) -> Any:
        """The cell of a level when it does not depend on the role (level_points only)."""
        return (self.level_points or {}).get(level)

    def rank_coefficient(self, rank: int | None) -> Decimal:
        coefs = self.rank_coefficients
        if not coefs or rank is None:
            return ONE
        return coefs[min(rank, len(coefs)) - 1]

    def role_coefficient(self, role: str | None) -> Decimal:
        if not self.role_coefficients or role is None:
            return ONE
        return self.role_coefficients[role]

    @cached_property
    def rep_limits(self) -> dict[str, Decimal]:
        """Representative-plus-bonus: a total may not pass the next level's start (top level: item cap)."""
        if not self.start:
            return {}
        levels = list(self.start)
        caps: dict[str, Decimal] = {}
        for i, level in enumerate(levels):
            above = self.start[levels[i - 1]] if i > 0 else self.cap
            caps[level] = above if above is not None else self.start[level]
        return caps

    def max_entry_points(self) -> Decimal:
        """The most a single entry can score (rank 1, best role)."""
        rank_max = max(self.rank_coefficients) if self.rank_coefficients else ONE
        role_max = max(self.role_coefficients.values()) if self.role_coefficients else ONE
        if self.aggregate == "representative_plus_bonus":
            best = max(self.start.values()) if self.start else ZERO
            return best * rank_max * (role_max if self.role_on_start else ONE)
        if self.aggregate == "count":
            return self.points if self.points is not None else ONE
        return max(highest(c) for c in self.cells()) * role_max * rank_max

    # --- claims -----------------------------------------------------------------------------------
    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> list[Entry] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            checker.problem(path, "应填业绩列表（每条以 - 开头）")
            return None
        if self.max_entries is not None and len(value) > self.max_entries:
            checker.problem(path, f"本项最多 {self.max_entries} 条（填写了 {len(value)} 条）", beyond_bound=True)
            return None
        entries = [e for i, raw in enumerate(value) if (e := self._check_entry(raw, (*path, i), i, checker)) is not None]
        named = [i for i, e in enumerate(entries) if e.representative]
        if len(named) > 1:
            checker.problem(path, f"只能指定一条代表性成果，实际指定了 {len(named)} 条")
            return None
        return entries

    @cached_property
    def _options(self) -> dict[str, frozenset[str]]:
        return {"category": frozenset(self.categories), "level": frozenset(self.levels), "role": frozenset(self.roles)}

    def _pick(self, raw: dict[str, Any], key: str, options: list[str], path: Path, name: str,
              checker: AnswerChecker) -> str | None:
        value = raw.get(key)
        if type(value) is str and value in self._options[key]:
            return value  # one of the options, as most are (checked below it would be returned as it is)
        what = self.field_label(key)
        if options:
            if value is None:
                checker.problem((*path, key), f"{name}缺少 {key}（{what}）；可选：{'、'.join(options)}")
                return None
            return checker.option(value, options, (*path, key), what)
        if value is not None:
            checker.problem((*path, key), f"{name}：本项不分{what}，请删除 {key}")
        return None

    def _check_entry(self, raw: Any, path: Path, index: int, checker: AnswerChecker) -> Entry | None:
        if not isinstance(raw, dict):
            checker.problem(path, "每条业绩应写成键值对，如 {level: …, date: …, title: …}")
            return None
        before = len(checker.problems)
        title = raw.get("title")
        if title is not None and not _plain_text(title):
            title = checker.text(title, (*path, "title"), f"第{index + 1}条的名称")
        name = f"第{index + 1}条「{title}」" if title else f"第{index + 1}条"
        note = raw.get("note")
        if note is not None and not _plain_text(note):
            note = checker.text(note, (*path, "note"), f"{name}的备注")
        flags: dict[str, bool] = {}
        for key in () if raw.keys() <= _ENTRY_KEY_SET else raw:  # most entries carry only the common keys
            if key in _ENTRY_KEY_SET:
                continue
            if key in self.entry_flags:
                got = checker.flag(raw[key], (*path, key))
                if got is not None:
                    flags[key] = got
            else:
                allowed = sorted(set(ENTRY_KEYS) | set(self.entry_flags))
                checker.problem((*path, key), f"{name}有未知字段「{key}」；可填：{'、'.join(allowed)}")
        category = self._pick(raw, "category", self.categories, path, name, checker)
        level = self._pick(raw, "level", self.levels, path, name, checker)
        role = self._pick(raw, "role", self.roles, path, name, checker)
        rank = None
        if raw.get("rank") is not None:
            got = checker.number(raw["rank"], (*path, "rank"), integer=True, maximum=MOST_RANK)
            if got is not None and got < 1:
                checker.problem((*path, "rank"), f"{name}的排名应从 1 开始")
            elif got is not None:
                rank = int(got)
        elif self.rank_coefficients:
            checker.problem((*path, "rank"), f"{name}缺少 rank（本人排名，第一作者/完成人填 1）；本项按排名系数计分")
        representative = raw.get("representative", False)
        if representative is not False:
            got_flag = checker.flag(representative, (*path, "representative"))
            representative = bool(got_flag)
            if representative and self.aggregate != "representative_plus_bonus":
                checker.problem((*path, "representative"), f"{name}：本项不按“代表性成果＋加分”计分，不能指定代表性成果")
        evidence = checker.evidence(raw.get("evidence"), (*path, "evidence"), name)
        files = checker.files(raw.get("files"), (*path, "files"), name)
        date = checker.date(raw.get("date"), (*path, "date"))
        if len(checker.problems) > before:
            return None
        entry = Entry(
            level, role, rank, date,
            title,  # `title: 2019` is a title, not a number
            evidence,
            note,
            flags,
            category=category,
            representative=representative,
            row=index,
            files=files,
        )
        points = self._check_points(entry, raw.get("points"), (*path, "points"), name, checker)
        if len(checker.problems) > before:
            fixed = [p for p in checker.problems[before:] if p.message.endswith(_FIXED_SUFFIX)]
            if len(fixed) == len(checker.problems) - before:
                return entry  # only a value typed on a fixed level: kept as an entry, the value unused (and said so)
            return None
        return dataclasses.replace(entry, points=points) if points is not None else entry

    def _check_points(self, entry: Entry, value: Any, path: Path, name: str, checker: AnswerChecker) -> Decimal | None:
        """Points asked for inside a range cell; refused for fixed cells, outside the range, or missing."""
        cell = self.cell(entry)
        if self.aggregate != "representative_plus_bonus" and cell is None:
            combo = "·".join(p for p in (entry.category, entry.level, entry.role) if p)
            what = f"{self.field_label('level')}与{self.field_label('role')}"
            checker.problem(path[:-1], f"{name}：本项分值表中没有「{combo}」这一格，请核对{what}")
            return None
        if self.aggregate == "representative_plus_bonus" or not is_range(cell):
            if value is not None:
                why = f"此级别为{LANDMARK}，不计分值" if is_landmark(cell) else "此级别分值固定"
                checker.problem(path, f"{name}：{why}，所填申报分值不使用{_FIXED_SUFFIX}")
            return None
        if value is None:
            checker.problem(path, f"{name}缺少 points（申报分值）：此级别由评审在 {cell.text()} 分内确定，请填写所申报的分值")
            return None
        got = checker.number(value, path, what=f"{name}的申报分值")
        if got is not None and not cell.contains(got):
            checker.problem(path, f"{name}的申报分值 {fmt(got)} 不在本级别区间 {cell.text()} 分内")
            return None
        return got

    def answer_data(self, answer: list[Entry]) -> list[dict[str, Any]]:
        return [e.to_data() for e in answer]

    def claimed_text(self, answer: list[Entry]) -> str:
        return f"{len(answer)} 条"

    # --- scoring ----------------------------------------------------------------------------------
    def _ignore_reason(self, entry: Entry, ctx: ScoreContext) -> tuple[str, str] | None:
        """(kind, reason) when an entry cannot count: a required flag, a missing date, or the window."""
        for flag_id, flag in self.entry_flags.items():
            value = entry.flags.get(flag_id)
            if value is None:
                return "flag", f"未注明「{flag.label}」"
            if value is not flag.counts_when:
                return "flag", f"「{flag.label}」为{'是' if value else '否'}，不计分"
        if self.windowed and ctx.window is not None:
            if entry.date is None:
                return "no_date", f"未填写日期，无法核对是否在{ctx.window.label}内"
            why = ctx.window.why_outside(entry.date)
            if why:
                return "window", f"{why}，不在{ctx.window.label}内"
        return None

    def score(self, answer: list[Entry], ctx: ScoreContext, result: ItemResult) -> None:
        result.claimed = later(_count_words, len(answer))
        counted: list[EntryResult] = []
        for index, entry in enumerate(answer):
            ignored = self._ignore_reason(entry, ctx)
            if entry.level in self.level_notes:
                ctx.notices.append(f"{self.label}{entry.describe(index)}：{self.level_notes[entry.level]}")
            if ignored is not None:
                kind, reason = ignored
                ctx.warnings.append(f"{self.label}{entry.describe(index)}已忽略：{reason}")
                result.entries.append(
                    EntryResult(index, entry, ZERO, False, [f"忽略：{reason}"], list(self.evidence), ignored=kind)
                )
                continue
            cell = None if self.aggregate == "representative_plus_bonus" else self.cell(entry)
            if entry.level in self.landmark_levels or (cell is not None and is_landmark(cell)):
                finding = self.landmark_finding or DEFAULT_FINDING
                ctx.findings.append(f"{self.label}{entry.describe(index)}（{entry.level}）：{finding}")
            if self.aggregate == "representative_plus_bonus":
                er = EntryResult(index, entry, ZERO, True, [], list(self.evidence))
            else:
                er = self._priced(index, entry, cell)
            result.entries.append(er)
            counted.append(er)
        if self.aggregate == "sum":
            self._sum(counted, result)
        elif self.aggregate == "max":
            self._keep_best(counted, result)
        elif self.aggregate == "count":
            self._count(counted, result)
        else:
            self._representative(counted, result)
        if not counted:
            result.say("没有计分的业绩，计 0 分")

    def _priced(self, index: int, entry: Entry, cell: Any) -> EntryResult:
        if is_landmark(cell):
            return EntryResult(index, entry, ZERO, True, [later(_landmark_words, entry)], list(self.evidence))
        base = entry.points if is_range(cell) else cell  # a range: the value asked for inside it
        if base is None:
            base = ZERO
        points = self._times(base, entry, with_role=True)
        er = EntryResult(index, entry, points, True, [later(_priced_words, self, entry, cell, base, points)],
                         list(self.evidence))
        _discretion(er)
        return er

    def _sum(self, counted: list[EntryResult], result: ItemResult) -> None:
        for level, size in self.group_size.items():
            members = [er for er in counted if er.entry.level == level]
            per_group = members[0].points if members else ZERO
            for position, er in enumerate(members, start=1):
                if position % size == 0:
                    er.points = per_group
                    er.add(f"；每满 {size} 项计一次，第{position // size}组 → {fmt(per_group)} 分")
                else:
                    er.points = ZERO
                    er.add(f"；每满 {size} 项计 {fmt(per_group)} 分，本条计入下一组")
        before = sum((e.points for e in counted), ZERO)
        for level, cap in self.level_caps.items():
            members = [er for er in counted if er.entry.level == level]
            subtotal = sum((er.points for er in members), ZERO)
            if subtotal > cap:
                result.sub_caps.append(f"{level}小计 {fmt(subtotal)} 分，封顶 {fmt(cap)} 分")
                room = cap
                for er in members:  # the first listed keep their points, the rest are trimmed
                    kept = min(er.points, room)
                    if kept < er.points:
                        er.add(f"（{level}小计封顶 {fmt(cap)}，本条计 {fmt(kept)} 分）")
                    er.points = kept
                    room -= kept
        result.raw = sum((e.points for e in counted), ZERO)
        if result.sub_caps:
            result.say(f"{len(counted)} 条合计 {fmt(before)} 分")
            result.said.extend(result.sub_caps)
            result.say(f"小计封顶后合计 {fmt(result.raw)} 分")
        elif counted:
            result.say(later(_summed_words, len(counted), result.raw))

    @staticmethod
    def _keep_best(counted: list[EntryResult], result: ItemResult) -> None:
        if not counted:
            return
        best = max(counted, key=lambda e: e.points)  # first of equals: stable for the reader
        for er in counted:
            if er is not best:
                er.counted = False
                er.add("（按最高一项计分，不累计）")
                er.points = ZERO
        result.raw = best.points
        result.say(later(_best_words, best.entry, best.index, best.points))

    def _count(self, counted: list[EntryResult], result: ItemResult) -> None:
        qualifying = [e for e in counted if e.points > 0]
        for er in counted:
            if er.points <= 0:
                er.counted = False
                er.add("（不符合条件，不计数）")
        need = self.min_count or 1
        points = self.points if self.points is not None else ONE
        if len(qualifying) >= need:
            result.raw = points
        result.say(later(_counted_words, len(qualifying), need))

    def representative_of(self, counted: list[EntryResult]) -> tuple[EntryResult, bool]:
        """The representative entry, and whether the applicant named it.

        Unnamed, it is the best entry: highest level, then best role, then first listed --
        the clerk's reading of "the best entry by level" (not the pick that maximises the total).
        """
        named = [er for er in counted if er.entry.representative]
        if named:
            return named[0], True
        order = list(self.start or {})
        return min(counted, key=lambda e: (order.index(e.entry.level or ""), -self.role_coefficient(e.entry.role))), False

    def _bonus(self, entry: Entry) -> Decimal:
        level = entry.level or ""
        if self.level_role_bonus is not None:
            return self._times(self.level_role_bonus[level][entry.role or ""], entry, with_role=False)
        assert self.bonus is not None
        return self._times(self.bonus[level], entry, with_role=True)

    def _times(self, base: Decimal, entry: Entry, *, with_role: bool) -> Decimal:
        """Base points times the role and rank coefficients (``_times_words`` says it as a clerk redoes it)."""
        points = base
        if with_role and self.role_coefficients and entry.role is not None:
            points *= self.role_coefficient(entry.role)
        if self.rank_coefficients:
            points *= self.rank_coefficient(entry.rank)
        return points

    def _start(self, rep: Entry) -> Decimal:
        """The representative's start, times its role (role_on_start) and rank coefficients."""
        assert self.start is not None
        start = self.start[rep.level or ""]
        if self.role_on_start and self.role_coefficients and rep.role is not None:
            start *= self.role_coefficient(rep.role)
        if self.rank_coefficients:
            start *= self.rank_coefficient(rep.rank)
        return start

    def _representative(self, counted: list[EntryResult], result: ItemResult) -> None:
        if not counted:
            return
        assert self.start is not None
        rep, named = self.representative_of(counted)
        level = rep.entry.level or ""
        rep.points = self._start(rep.entry)
        how = "申报人指定" if named else "按级别最高选取"
        rep.said = [later(_start_words, self, rep.entry, how, rep.points)]
        _discretion(rep)
        total = rep.points
        for er in counted:
            if er is rep:
                continue
            er.points = self._bonus(er.entry)
            er.said = [later(_bonus_words, self, er.entry, er.points)]
            _discretion(er)
            total += er.points
        result.say(later(_representative_words, rep.entry, rep.index, how, rep.points, len(counted) - 1, total))
        limit = self.rep_limits[level]
        if total > limit and (self.cap is None or limit < self.cap):
            result.cap_note = f"代表业绩为{level}，本项最高 {fmt(limit)} 分（不超过上一级别起评分）"
            result.say(result.cap_note)
            total = limit
        result.raw = total

    def raw_max(self) -> Decimal | None:
        if self.aggregate == "max":
            return self.max_entry_points()
        if self.aggregate == "count":
            return self.points if self.points is not None else ONE
        if self.aggregate == "representative_plus_bonus":
            return max(self.rep_limits.values(), default=None)
        if self.max_entries is not None:
            return self.max_entry_points() * self.max_entries
        return None

    # --- words ------------------------------------------------------------------------------------
    def describe(self) -> str:
        parts: list[str] = []
        if self.aggregate == "representative_plus_bonus":
            assert self.start
            parts.append("代表业绩起评：" + pairs(self.start))
            if self.level_role_bonus:
                parts.append("其余每条加分：" + "；".join(f"{lv} {pairs(row)}" for lv, row in self.level_role_bonus.items()))
            elif self.bonus:
                text = "其余每条加分：" + pairs(self.bonus)
                if self.role_coefficients:
                    text += " × 角色系数（" + pairs(self.role_coefficients) + "）"
                parts.append(text)
            if self.role_on_start and self.role_coefficients:
                parts.append("代表业绩起评分也乘角色系数")
            if self.rank_coefficients:
                parts.append("起评分与加分均乘排名系数 " + _coefficients(self.rank_coefficients))
            below_top = {k: v for k, v in self.rep_limits.items() if k != self.levels[0]}
            if below_top:
                parts.append("代表业绩为" + "、".join(f"{k}时最高 {fmt(v)}" for k, v in below_top.items()))
            parts.append("可在业绩上注明代表性成果，未注明时取级别最高的一条")
        else:
            parts.append(self._describe_table())
            if self.role_coefficients:
                parts.append("角色系数 " + pairs(self.role_coefficients))
            if self.rank_coefficients:
                parts.append("排名系数 " + _coefficients(self.rank_coefficients))
            for level, size in self.group_size.items():
                parts.append(f"{level}每满 {size} 项计一次")
            for level, cap in self.level_caps.items():
                parts.append(f"{level}小计不超过 {fmt(cap)}")
            parts.append(
                {"sum": "累计", "max": "按最高一项计分，不累计", "count": f"符合条件的至少 {self.min_count} 条即满足"}[
                    self.aggregate
                ]
            )
        if self.landmark_levels:
            parts.append("、".join(self.landmark_levels) + "属标志性成果")
        if self.max_entries is not None:
            parts.append(f"最多 {self.max_entries} 条")
        for flag in self.entry_flags.values():
            parts.append(f"仅计{flag.label}的业绩" if flag.counts_when else f"不计{flag.label}的业绩")
        return "；".join(parts)

    def _describe_table(self) -> str:
        def row(table: dict[str, Any]) -> str:
            return "、".join(f"{k} {cell_text(v)}" for k, v in table.items())

        if self.category_level_role_points:
            return "；".join(
                f"{cat}：" + "，".join(f"{lv} {row(roles)}" for lv, roles in levels.items())
                for cat, levels in self.category_level_role_points.items()
            ) + "（每项）"
        if self.level_role_points:
            return "；".join(f"{level}：{row(r)}" for level, r in self.level_role_points.items())
        if self.level_points:
            return row(self.level_points)
        if self.role_points:
            return row(self.role_points)
        return f"每条 {fmt(self.entry_points)}"

    # --- gaps -------------------------------------------------------------------------------------
    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        """Every kind of entry the item scores, from the lowest level and role up."""
        entries = list(current) if isinstance(current, list) else []
        if self.max_entries is not None and len(entries) >= self.max_entries:
            return []
        categories = list(reversed(self.categories)) or [None]
        levels = list(reversed(self.levels)) or [None]
        roles = list(reversed(self.roles)) or [None]
        flags = {flag_id: flag.counts_when for flag_id, flag in self.entry_flags.items()}
        rank = 1 if self.rank_coefficients else None
        out: list[tuple[str, Any]] = []
        for category in categories:
            for level in levels:
                for role in roles:
                    entry = Entry(level=level, role=role, rank=rank, date=ctx.entry_date, title="（假设）", flags=flags,
                                  category=category)
                    cell = self.cell(entry) if self.aggregate != "representative_plus_bonus" else None
                    if self.aggregate != "representative_plus_bonus" and (cell is None or is_landmark(cell)):
                        continue
                    if is_range(cell):
                        entry = dataclasses.replace(entry, points=cell.hi)
                    words = "·".join(p for p in (category, level, role) if p) or "一条"
                    text = f"再添一条{words}" + ("（本人排名第1）" if rank else "")
                    out.append((text, [*entries, entry]))
        return out

    # --- review -----------------------------------------------------------------------------------
    def review_row_fields(self) -> list[tuple[str, str, list[str] | None]]:
        out: list[tuple[str, str, list[str] | None]] = [
            (name, self.field_label(name), options)
            for name, options in (("category", self.categories), ("level", self.levels), ("role", self.roles))
            if options
        ]
        if self.rank_coefficients:
            out.append(("rank", self.field_label("rank"), None))
        return [*out, ("points", "复核分值", None)]

    def review_entry(self, entry: Entry, change: dict[str, Any], where: Path, checker: AnswerChecker) -> Entry | None:
        """An entry as a reviewer changed it (category, level, role, rank, points), or None with problems.

        ``points`` inside a range sets the value asked for (only lower, still inside the range);
        on a fixed cell it is the expert's discretion (专家酌定): a value below the computed points.
        """
        before = len(checker.problems)
        new = entry
        for key, options in (("category", self.categories), ("level", self.levels), ("role", self.roles)):
            if change.get(key) is not None:
                got = checker.option(change[key], options, (*where, key), self.field_label(key))
                new = dataclasses.replace(new, **{key: got})
        if (new.category, new.level, new.role) != (entry.category, entry.level, entry.role):
            new = dataclasses.replace(new, points=None)  # the value asked for belonged to the old cell
        if change.get("rank") is not None:
            new = dataclasses.replace(new, rank=int(change["rank"]))
        if change.get("points") is not None:
            points = checker.number(change["points"], (*where, "points"), what="复核分值")
            cell = self.cell(new) if self.aggregate != "representative_plus_bonus" else None
            if points is not None and is_range(cell):
                if not cell.contains(points):
                    checker.problem((*where, "points"), f"复核分值 {fmt(points)} 不在本级别区间 {cell.text()} 分内")
                elif entry.points is not None and points > entry.points and new.level == entry.level:
                    checker.problem((*where, "points"), f"复核分值只能低于申报分值 {fmt(entry.points)}")
                else:
                    new = dataclasses.replace(new, points=points)
            elif points is not None:
                new = dataclasses.replace(new, reviewed_points=points)
        if len(checker.problems) > before:
            return None
        if is_range(self.cell(new)) and new.points is None and self.aggregate != "representative_plus_bonus":
            checker.problem((*where, "points"), f"改后的级别由评审在 {self.cell(new).text()} 分内确定，请给出 points")
            return None
        return new

    # --- lint -------------------------------------------------------------------------------------
    def lint(self, path: Path) -> Iterator[Problem]:
        allowed = AGGREGATE_KEYS[self.aggregate]
        for key, spec in EntriesItem.model_fields.items():
            if key in allowed or key in _BASE_KEYS or getattr(self, key) == spec.get_default(call_default_factory=True):
                continue
            yield Problem((*path, key), f"aggregate: {self.aggregate} 不使用 {key}；请删除，或换用使用它的计分方式")
        present = [t for t in POINT_TABLES if getattr(self, t) is not None]
        if self.aggregate == "representative_plus_bonus":
            if not self.start:
                yield Problem((*path, "start"), "representative_plus_bonus 需要 start（各级别代表业绩起评分）")
                return
            if (self.bonus is None) == (self.level_role_bonus is None):
                yield Problem(path, "representative_plus_bonus 需要 bonus 或 level_role_bonus 二者之一")
                return
            table = self.bonus if self.bonus is not None else self.level_role_bonus
            if list(table or {}) != list(self.start):
                key = "bonus" if self.bonus is not None else "level_role_bonus"
                yield Problem((*path, key), f"{key} 的级别应与 start 相同且同序：{'、'.join(self.start)}")
            if self.level_role_bonus:
                first = list(next(iter(self.level_role_bonus.values())))
                for level, row in self.level_role_bonus.items():
                    if list(row) != first:
                        yield Problem((*path, "level_role_bonus", level), f"每个级别的角色应相同且同序：{'、'.join(first)}")
                if self.role_coefficients and not self.role_on_start:
                    yield Problem((*path, "role_coefficients"),
                                  "加分已按级别和角色给出（level_role_bonus），角色系数只在 role_on_start 时使用")
            if self.role_on_start and not self.role_coefficients:
                yield Problem((*path, "role_on_start"), "role_on_start 需要 role_coefficients")
            if self.cap is None:
                yield Problem((*path, "cap"), "representative_plus_bonus 必须写 cap（最高级别代表作的封顶分）")
        else:
            if len(present) != 1:
                yield Problem(path, f"entries 项目须写且只写一个分值表：{' / '.join(POINT_TABLES)}")
                return
            yield from self._lint_tables(path)
            if self.role_points and self.role_coefficients:
                yield Problem((*path, "role_coefficients"), "已按角色给分（role_points），不能再写角色系数")
        missing_roles = [r for r in self.roles if self.role_coefficients and r not in self.role_coefficients]
        if missing_roles:  # scoring an entry with such a role would have no coefficient to apply
            yield Problem((*path, "role_coefficients"),
                          f"角色系数缺少本项的角色：{'、'.join(missing_roles)}；本项角色：{'、'.join(self.roles)}")
        if self.aggregate == "count" and self.min_count is None:
            yield Problem((*path, "min_count"), "aggregate: count 需要 min_count（至少几条才算满足）")
        if self.aggregate == "sum" and self.cap is None and self.max_entries is None:
            yield Problem((*path, "cap"), "aggregate: sum 必须写 cap（封顶分）")
        if self.rank_coefficients is not None and not self.rank_coefficients:
            yield Problem((*path, "rank_coefficients"), "排名系数至少写一个")
        if self.cap is not None and self.entry_may_exceed_cap is None:
            single = self.max_entry_points()
            if single > self.cap:
                yield Problem(
                    (*path, "cap"),
                    f"封顶 {fmt(self.cap)} 低于单条最高分 {fmt(single)}；若原表确实如此，"
                    f"请写 entry_may_exceed_cap 说明理由",
                )
        for key, table in (("level_notes", self.level_notes), ("group_size", self.group_size), ("level_caps", self.level_caps)):
            for level in table:
                if level not in self.levels:
                    yield Problem((*path, key, level), f"级别「{level}」不在本项级别中：{'、'.join(self.levels)}")
        for i, level in enumerate(self.landmark_levels):
            if level not in self.levels:
                yield Problem((*path, "landmark_levels", i), f"级别「{level}」不在本项级别中：{'、'.join(self.levels)}")
        if self.group_size and (self.level_points is None or self.role_coefficients or self.rank_coefficients):
            yield Problem((*path, "group_size"), "group_size 只用于按级别计分（level_points）且不乘系数的项目")
        for level in self.group_size:
            if is_range(self.level_cell(level)) or is_landmark(self.level_cell(level)):
                yield Problem((*path, "group_size", level), "按组计分的级别须为固定分值")
        if self.landmark_finding and not self.landmark_levels and not any(is_landmark(c) for c in self._all_cells()):
            yield Problem((*path, "landmark_finding"), "没有标志性成果级别，landmark_finding 不会用到")
        used = {"category": bool(self.categories), "level": bool(self.levels), "role": bool(self.roles),
                "rank": bool(self.rank_coefficients), "points": any(is_range(c) for c in self._all_cells())}
        for name in self.field_labels:
            if not used[name]:
                yield Problem((*path, "field_labels", name), f"本项没有{FIELD_NAMES[name]}这一栏，{name} 的名称不会用到")
        shown = [self.field_label(n) for n, on in used.items() if on]
        clash = sorted({t for t in shown if shown.count(t) > 1 or t in ("日期", "名称", "佐证材料", "代表性成果")})
        if clash:
            yield Problem((*path, "field_labels"), f"栏目名称重复：{'、'.join(clash)}；请为每一栏取不同的名称")
        if self.rank_coefficients is not None and any(is_range(c) for c in self._all_cells()):
            yield Problem((*path, "rank_coefficients"), "区间分值由评审确定，不能再乘排名系数")

    def _all_cells(self) -> list[Any]:
        return self.cells() if self.aggregate != "representative_plus_bonus" else []

    def _lint_tables(self, path: Path) -> Iterator[Problem]:
        if self.level_role_points:
            first = list(next(iter(self.level_role_points.values())))
            for level, row in self.level_role_points.items():
                if list(row) != first:
                    yield Problem((*path, "level_role_points", level), f"每个级别的角色应相同且同序：{'、'.join(first)}")
        if self.category_level_role_points:
            for cat, rows in self.category_level_role_points.items():
                if not rows or any(not row for row in rows.values()):
                    yield Problem((*path, "category_level_role_points", cat), "每个类别至少写一个级别和角色的分值")


def _plain_text(value: Any) -> bool:
    """Text that ``AnswerChecker.text`` takes as it is (a string without control characters)."""
    return type(value) is str and CONTROL_CHARS.search(value) is None


def _coefficients(coefs: list[Decimal]) -> str:
    text = "、".join(fmt(c) for c in coefs)
    return f"{text}（其后均为 {fmt(coefs[-1])}）" if len(coefs) > 1 else text


def _discretion(er: EntryResult) -> None:
    """An expert's lower value for one entry (专家酌定), set by a review; never raises points."""
    chosen = er.entry.reviewed_points
    if chosen is not None and chosen < er.points:
        er.add(f"；专家酌定 {fmt(chosen)} 分（原 {fmt(er.points)} 分）")
        er.points = chosen


# --- the sentences, written when read (scorer.result): each from the values fixed when its step was taken ---


def _count_words(n: int) -> str:
    return f"{n} 条"


def _cell_label(entry: Entry) -> str:
    return "·".join(p for p in (entry.category, entry.level, entry.role) if p) or "每条"


def _landmark_words(entry: Entry) -> str:
    return f"{_cell_label(entry)}：{LANDMARK}，不计分值（见“标志性成果”）"


def _times_words(item: EntriesItem, parts: list[str], entry: Entry, points: Decimal, *, with_role: bool,
                 role_word: str) -> str:
    """Base points times the role and rank coefficients, in the words a clerk redoes by hand."""
    if with_role and item.role_coefficients and entry.role is not None:
        parts.append(f"{role_word}系数 {fmt(item.role_coefficient(entry.role))}")
    if item.rank_coefficients:
        parts.append(f"第{entry.rank}名系数 {fmt(item.rank_coefficient(entry.rank))}")
    return " × ".join(parts) + (f" = {fmt(points)} 分" if len(parts) > 1 else " 分")


def _priced_words(item: EntriesItem, entry: Entry, cell: Any, base: Decimal, points: Decimal) -> str:
    label = _cell_label(entry)
    first = f"{label}（区间 {cell.text()}）申报 {fmt(base)}" if is_range(cell) else f"{label} {fmt(base)}"
    return _times_words(item, [first], entry, points, with_role=True, role_word="角色")


def _bonus_words(item: EntriesItem, entry: Entry, points: Decimal) -> str:
    level = entry.level or ""
    if item.level_role_bonus is not None:
        base = item.level_role_bonus[level][entry.role or ""]
        text = _times_words(item, [f"{level}·{entry.role} {fmt(base)}"], entry, points, with_role=False, role_word="")
    else:
        assert item.bonus is not None
        text = _times_words(item, [f"{level} {fmt(item.bonus[level])}"], entry, points, with_role=True,
                            role_word=entry.role or "")
    return f"加分：{text}"


def _start_words(item: EntriesItem, rep: Entry, how: str, points: Decimal) -> str:
    assert item.start is not None
    level = rep.level or ""
    parts = [f"起评 {fmt(item.start[level])}"]
    if item.role_on_start and item.role_coefficients and rep.role is not None:
        parts.append(f"{rep.role}系数 {fmt(item.role_coefficient(rep.role))}")
    if item.rank_coefficients:
        parts.append(f"第{rep.rank}名系数 {fmt(item.rank_coefficient(rep.rank))}")
    return f"代表业绩（{level}，{how}）" + " × ".join(parts) + (f" = {fmt(points)} 分" if len(parts) > 1 else " 分")


def _representative_words(rep: Entry, index: int, how: str, points: Decimal, others: int, total: Decimal) -> str:
    return f"代表业绩{rep.describe(index)}（{how}）{fmt(points)} 分 + 其余 {others} 条加分 = {fmt(total)} 分"


def _summed_words(n: int, total: Decimal) -> str:
    return f"{n} 条合计 {fmt(total)} 分"


def _best_words(best: Entry, index: int, points: Decimal) -> str:
    return f"按最高一项计分：{best.describe(index)} {fmt(points)} 分"


def _counted_words(qualifying: int, need: int) -> str:
    if qualifying >= need:
        return f"符合条件 {qualifying} 条，要求至少 {need} 条 → 满足"
    return f"符合条件 {qualifying} 条，要求至少 {need} 条 → 还差 {need - qualifying} 条"
