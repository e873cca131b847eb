"""Inflation flags: what a unit's HR must look at before the committee's 一票否决 does.

Each flag names the entries it concerns and says why in plain words. Flags
never change a score: they point at claims a person should check.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .claims import Claims
from .model import Sheet
from .numbers import fmt
from .ranking import Placed, RankedList, place
from .result import Result

JUST_OVER_MARGIN = Decimal(5)  # totals at most this far above the line get a second look
PADDING_MIN_ENTRIES = 4  # an item at exactly its cap built from this many entries or more
LEAD_ROLES = {"主持", "项目或技术负责人", "主要技术负责人", "主编"}

FLAG_LABELS = {
    "ignored": "业绩未计分",
    "no_evidence": "未列佐证",
    "duplicate": "重复申报",
    "lead_conflict": "负责人冲突",
    "padding": "凑满封顶",
    "just_over": "刚过分数线",
    "contradiction": "填写矛盾",
    "invalid": "超出表内取值",
}


@dataclass
class Flag:
    code: str
    reason: str
    entries: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.code]

    def text(self) -> str:
        concerned = f"（{'；'.join(self.entries)}）" if self.entries else ""
        return f"{self.label}：{self.reason}{concerned}"


_PUNCT = re.compile(r"[\s\-_—·.,，。、;；:：()（）\[\]【】《》<>\"'“”‘’!！?？/\\|]+")


@lru_cache(maxsize=65536)
def normalise_title(title: str | None) -> str:
    """Titles that a person would call the same: full/half width, case, spaces and punctuation ignored."""
    if not title:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", title)).lower()


def _counted_entries(result: Result) -> list[tuple[str, Any]]:
    return [(item.label, er) for item in result.items.values() for er in item.entries if er.counted]


def applicant_flags(sheet: Sheet, claims: Claims, result: Result, problems: list[str] | None = None) -> list[Flag]:
    """Flags that one claim file raises on its own."""
    flags: list[Flag] = []
    for item in result.items.values():
        ignored = [f"{item.label}{er.name}：{er.explanation.removeprefix('忽略：')}" for er in item.entries if er.ignored]
        if ignored:
            flags.append(Flag("ignored", f"{len(ignored)} 条业绩因时间范围或未注明事项不计分", ignored))
    counted = _counted_entries(result)
    missing = [f"{label}{er.name}" for label, er in counted if not er.entry.evidence]
    if missing:
        flags.append(Flag("no_evidence", f"{len(missing)} 条计分业绩没有列出佐证材料（无证明材料的不予评分）", missing))
    by_title: dict[str, list[str]] = defaultdict(list)
    for label, er in counted:
        key = normalise_title(er.entry.title)
        if key:
            by_title[key].append(f"{label}{er.name}" + (f"（{er.entry.date}）" if er.entry.date else ""))
    for names in by_title.values():
        if len(names) > 1:
            flags.append(Flag("duplicate", "同一项业绩（名称相同）被申报了不止一次", names))
    for item in result.items.values():
        n = sum(1 for er in item.entries if er.counted)
        if item.cap is not None and n >= PADDING_MIN_ENTRIES and item.points == item.cap and item.raw == item.cap:
            flags.append(
                Flag("padding", f"「{item.label}」{n} 条业绩恰好凑满封顶 {fmt(item.cap)} 分", [item.label])
            )
    if result.kind == "total" and result.margin is not None and Decimal(0) <= result.margin <= JUST_OVER_MARGIN:
        flags.append(Flag("just_over", f"总分 {fmt(result.total)} 仅超出分数线 {fmt(result.margin)} 分，请逐项复核"))
    for broken in result.contradictions:
        flags.append(Flag("contradiction", broken))
    if problems:
        flags.append(Flag("invalid", "有填写不在本表允许范围内（级别、角色、排名等），这些内容未计分", list(problems)))
    return flags


@dataclass
class Checked:
    """One applicant in a batch: who, the result, and the flags."""

    source: str
    sheet: Sheet
    claims: Claims
    result: Result
    flags: list[Flag]
    rank: int | None = None
    place: Placed | None = None  # a sheet with a ranking: the group, exam cut and rank within the group

    @property
    def name(self) -> str:
        return self.claims.applicant.name or self.source


def lead_conflicts(rows: list[Checked]) -> None:
    """The same achievement led (主持 / 负责人) by two applicants: flag both."""
    leads: dict[str, list[tuple[Checked, str]]] = defaultdict(list)
    for row in rows:
        for label, er in _counted_entries(row.result):
            key = normalise_title(er.entry.title)
            if key and er.entry.role in LEAD_ROLES:
                leads[key].append((row, f"{label}{er.name}（{er.entry.role}）"))
    for claimants in leads.values():
        people = {id(row) for row, _ in claimants}
        if len(people) < 2:
            continue
        names = "、".join(dict.fromkeys(row.name for row, _ in claimants))
        for row, entry in claimants:
            reason = f"同一项业绩被 {names} 都申报为主持/负责人"
            row.flags.append(Flag("lead_conflict", reason, [entry]))


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
