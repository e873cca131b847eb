"""Inflation flags: what a unit's HR must look at before the committee's 一票否决 does.

Each flag names the entries it concerns and says why in plain words. Flags
never change a score: they point at claims a person should check.

Two steps, so a batch can score its files in any order or in parallel: ``applicant_flags`` looks at
one scored file alone (its facts are all in ``Checked``), and ``batch_flags`` looks across the
applicants once all are scored (the same achievement led by two people). ``reflag`` redoes both
from the stored results when the unit changes its settings, without scoring again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .claims import Claims
from .flags import DEFAULT_SETTINGS, FLAG_HELP, FLAG_LABELS, FlagSettings
from .model import Sheet
from .numbers import fmt
from .ranking import Placed, RankedList, place
from .result import EntryResult, Result
from .titles import TitleKey, same_reason, title_clusters, title_key

LEAD_ROLES = {"主持", "项目或技术负责人", "主要技术负责人", "主编"}
SHOWN_OTHERS = 5  # a lead conflict names this many of the other applicants, then says how many more

__all__ = ["FLAG_LABELS", "Checked", "Flag", "applicant_flags", "batch_flags", "rank_rows", "reflag"]


@dataclass
class Flag:
    code: str
    reason: str
    entries: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.code]

    @property
    def help(self) -> str:
        """The one line a clerk reads to know what this kind of flag asks them to check."""
        return FLAG_HELP[self.code]

    def text(self) -> str:
        concerned = f"（{'；'.join(self.entries)}）" if self.entries else ""
        return f"{self.label}：{self.reason}{concerned}"


@dataclass
class Checked:
    """One applicant in a batch: who, the result, the facts its flags come from, and the flags."""

    source: str
    sheet: Sheet
    claims: Claims
    result: Result
    flags: list[Flag]
    rank: int | None = None
    place: Placed | None = None  # a sheet with a ranking: the group, exam cut and rank within the group
    problems: list[str] = field(default_factory=list)  # values the sheet does not allow (left out of the score)
    impossible: list[str] = field(default_factory=list)  # values beyond a bound the sheet states (left out too)

    @property
    def name(self) -> str:
        return self.claims.applicant.name or self.source


def _counted_entries(result: Result) -> list[tuple[str, EntryResult]]:
    return [(item.label, er) for item in result.items.values() for er in item.entries if er.counted]


def _shown(label: str, er: EntryResult) -> str:
    return f"{label}{er.name}" + (f"（{er.entry.date}）" if er.entry.date else "")


def _no_evidence(er: EntryResult, settings: FlagSettings) -> str | None:
    """None when the entry names a document; otherwise how it falls short (nothing, or only placeholders)."""
    evidence = er.entry.evidence
    if not evidence:
        return "未列佐证"
    if all(settings.is_placeholder(e) for e in evidence):
        return "佐证只写了「" + "」「".join(evidence) + "」"
    return None


def _why(a: TitleKey, b: TitleKey, settings: FlagSettings) -> str:
    """Why two titles of one group were taken as the same; a group joined through a third title says so."""
    return same_reason(a, b, settings.similarity) or "两者都与同组另一条名称相同或几乎相同"


def _duplicates(counted: list[tuple[str, EntryResult]], settings: FlagSettings) -> list[Flag]:
    titled = [(label, er) for label, er in counted if er.entry.title and er.entry.title.strip()]
    keys = [title_key(er.entry.title or "", settings.generic_suffixes) for _, er in titled]
    flags = []
    for group in title_clusters(keys, settings.similarity):
        first = keys[group[0]]
        sides = "与".join(f"「{keys[i].title}」" for i in group)
        reasons = dict.fromkeys(_why(first, keys[j], settings) for j in group[1:])
        reason = f"同一项业绩申报了 {len(group)} 次：{sides}（{'；'.join(reasons)}）"
        flags.append(Flag("duplicate", reason, [_shown(*titled[i]) for i in group]))
    return flags


def applicant_flags(
    sheet: Sheet,
    claims: Claims,
    result: Result,
    problems: list[str] | None = None,
    impossible: list[str] | None = None,
    settings: FlagSettings = DEFAULT_SETTINGS,
) -> list[Flag]:
    """Flags that one claim file raises on its own, for the kinds the settings leave on."""
    flags: list[Flag] = []
    on = settings.on
    if on("ignored"):
        for item in result.items.values():
            ignored = [f"{item.label}{er.name}：{er.explanation.removeprefix('忽略：')}" for er in item.entries
                       if er.ignored]
            if ignored:
                flags.append(Flag("ignored", f"{len(ignored)} 条业绩因时间范围或未注明事项不计分", ignored))
    counted = _counted_entries(result)
    if on("no_evidence"):
        missing = [(label, er, why) for label, er in counted if (why := _no_evidence(er, settings))]
        if missing:
            placeholders = sum(1 for *_, why in missing if why != "未列佐证")
            words = f"（其中 {placeholders} 条只写了占位词，不算佐证）" if placeholders else ""
            flags.append(Flag("no_evidence", f"{len(missing)} 条计分业绩没有列出佐证材料{words}，无证明材料的不予评分",
                              [f"{label}{er.name}：{why}" for label, er, why in missing]))
    if on("duplicate"):
        flags += _duplicates(counted, settings)
    if on("padding"):
        for item in result.items.values():
            n = sum(1 for er in item.entries if er.counted)
            if item.cap is None or n < settings.padding_min_entries or item.raw < item.cap - settings.cap_margin:
                continue
            if item.raw == item.cap:
                how = f"恰好凑满封顶 {fmt(item.cap)} 分"
            elif item.raw > item.cap:
                over = fmt(item.raw - item.cap)
                how = f"原始合计 {fmt(item.raw)} 分，超过封顶 {fmt(item.cap)} 分 {over} 分（只计 {fmt(item.cap)} 分）"
            else:
                how = f"原始合计 {fmt(item.raw)} 分，距封顶 {fmt(item.cap)} 分不足 {fmt(settings.cap_margin)} 分"
            flags.append(Flag("padding", f"「{item.label}」{n} 条业绩{how}", [item.label]))
    if on("just_over") and result.margin is not None and result.margin >= 0:
        if result.kind == "total" and result.margin <= settings.near_line:
            flags.append(Flag("just_over", f"总分 {fmt(result.total)} 仅超出分数线 {fmt(result.margin)} 分，请逐项复核"))
        elif result.kind == "count" and result.margin <= settings.near_line_count:
            how = "恰好达到" if result.margin == 0 else f"只超出 {fmt(result.margin)} 项，"
            flags.append(Flag("just_over", f"满足 {fmt(result.total)} 项，{how}要求的 {fmt(result.threshold)} 项，"
                                           "任何一项不成立就达不到，请逐项复核"))
    if on("contradiction"):
        for broken in result.contradictions:
            flags.append(Flag("contradiction", broken))
        if impossible:
            flags.append(Flag("contradiction", "填写了超出本表上限、不可能的数值（未计分）", list(impossible)))
    if on("invalid") and problems:
        flags.append(Flag("invalid", "有填写不在本表允许范围内（级别、角色、排名等），这些内容未计分", list(problems)))
    return flags


def batch_flags(rows: list[Checked], settings: FlagSettings = DEFAULT_SETTINGS) -> None:
    """Every check across applicants, after each file has its own flags: today, 负责人冲突.

    The same achievement (titles taken as the same: see ``scorer.titles``) led (主持 / 负责人 / 主编)
    by two or more applicants flags each of them, with the other's title beside theirs and why
    they were taken as the same.
    """
    if not settings.on("lead_conflict"):
        return
    leads: list[tuple[Checked, str, Any]] = []
    for row in rows:
        for label, er in _counted_entries(row.result):
            if er.entry.role in LEAD_ROLES and er.entry.title and er.entry.title.strip():
                leads.append((row, f"{label}{er.name}（{er.entry.role}）", title_key(er.entry.title, settings.generic_suffixes)))
    keys = [key for *_, key in leads]
    for group in title_clusters(keys, settings.similarity):
        people = list(dict.fromkeys(leads[i][0].name for i in group))
        if len({id(leads[i][0]) for i in group}) < 2:
            continue  # one applicant's own repeat is 重复申报, not a conflict
        for i in group:
            row, entry, key = leads[i]
            others = [j for j in group if leads[j][0] is not row]
            side = "；".join(f"{leads[j][0].name}「{keys[j].title}」：{_why(key, keys[j], settings)}"
                             for j in others[:SHOWN_OTHERS])
            if len(others) > SHOWN_OTHERS:
                side += f"；另有 {len(others) - SHOWN_OTHERS} 条"
            named = "、".join(people[:SHOWN_OTHERS + 1]) + (f" 等 {len(people)} 人" if len(people) > SHOWN_OTHERS + 1 else "")
            reason = f"同一项业绩被 {named} 都申报为主持/负责人：本人「{key.title}」，{side}"
            row.flags.append(Flag("lead_conflict", reason, [entry]))


def reflag(rows: list[Checked], settings: FlagSettings) -> None:
    """Every row's flags again under new settings (the scores stay as they are)."""
    for row in rows:
        row.flags = applicant_flags(row.sheet, row.claims, row.result, row.problems, row.impossible, settings)
    batch_flags(rows, settings)


def rank_rows(rows: list[Checked]) -> list[RankedList]:
    """Rank applicants of each ranked sheet by total, high to low; equal totals share a rank (1, 2, 2, 4).

    A sheet with a ``ranking`` is ranked within each group after its exam cut (scorer.ranking);
    its lists are returned for the per-group summary and the 推荐名单.
    """
    by_sheet: dict[str, list[Checked]] = defaultdict(list)
    for row in rows:
        if row.result.kind == "rank":
            by_sheet[row.sheet.id].append(row)
    lists = []
    for group in by_sheet.values():
        if group[0].sheet.ranking is not None:
            placed = place(group[0].sheet, group)
            for row in group:
                row.place = placed.places[id(row)]
                row.rank = row.place.rank
            lists.append(placed)
            continue
        group.sort(key=lambda r: r.result.total, reverse=True)
        for i, row in enumerate(group):
            same_as_previous = i > 0 and group[i - 1].result.total == row.result.total
            row.rank = group[i - 1].rank if same_as_previous else i + 1
    return lists
