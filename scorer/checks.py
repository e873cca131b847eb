"""Inflation flags: what a unit's HR must look at before the committee's 一票否决 does.

Each flag names the entries it concerns and says why in plain words. Flags
never change a score: they point at claims a person should check.

Two steps, so a batch can score its files in any order or in parallel: ``applicant_flags`` looks at
one scored file alone (its facts are all in ``Checked``), and ``batch_flags`` looks across the
applicants once all are scored (the same achievement led by two people). ``reflag`` redoes both
from the stored results when the unit changes its settings, without scoring again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from .claims import Claims
from .flags import DEFAULT_SETTINGS, FLAG_HELP, FLAG_LABELS, FlagSettings
from .model import Sheet
from .numbers import exact, fmt
from .packetload import PacketCheck
from .proof import BACKED, LISTED, UNPROVEN, proof_tally
from .ranking import Placed, RankedList, exam_score, group_value, place
from .result import EntryResult, Result
from .titles import TitleKey, same_reason, title_clusters, title_key

LEAD_ROLES = {"主持", "项目或技术负责人", "主要技术负责人", "主编"}
SHOWN_OTHERS = 5  # a lead conflict names this many of the other applicants, then says how many more

__all__ = ["FLAG_LABELS", "Checked", "Flag", "Lead", "LeadConflict", "Listed", "SharedLead", "applicant_flags", "batch_flags",
           "packet_flags", "rank_rows", "reflag"]


@dataclass
class Flag:
    code: str
    reason: str
    entries: list[str] = field(default_factory=list)
    figure: str = ""  # the amount a clerk reads beside the label in a table (无佐证计分 12 分), if the kind has one

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.code]

    def tag(self) -> str:
        """The label with its figure: what the batch table shows."""
        return f"{self.label} {self.figure}" if self.figure else self.label

    @property
    def help(self) -> str:
        """The one line a clerk reads to know what this kind of flag asks them to check."""
        return FLAG_HELP[self.code]

    def text(self) -> str:
        concerned = f"（{'；'.join(self.entries)}）" if self.entries else ""
        return f"{self.tag()}：{self.reason}{concerned}"


class Shown(Protocol):
    """What the batch table, the CLI and the exports read of a result (``Result`` has it, so does ``Outcome``)."""

    @property
    def kind(self) -> str: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def threshold(self) -> Decimal | None: ...
    @property
    def verdict(self) -> str: ...
    @property
    def margin(self) -> Decimal | None: ...
    @property
    def level(self) -> str | None: ...
    @property
    def findings(self) -> list[str]: ...


class Listed(Protocol):
    """One applicant as a batch lists, flags across applicants and ranks it: a full ``Checked`` row (the page,
    which redoes the flags under new settings) or a compact ``scorer.batchrow.BatchRow`` (the CLI's pool)."""

    source: str
    sheet: Sheet
    flags: list[Flag]
    rank: int | None
    place: Placed | None
    packet: PacketCheck | None  # loaded from an applicant's packet: its documents as checked

    @property
    def name(self) -> str: ...
    @property
    def person(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def result(self) -> Shown: ...
    def leads(self) -> list[Lead]: ...
    def rank_facts(self) -> tuple[str | None, Decimal | None]: ...


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
    packet: PacketCheck | None = None  # loaded from an applicant's packet: its documents checked (scorer.packetload)

    @property
    def name(self) -> str:
        return self.claims.applicant.name or self.source

    @property
    def person(self) -> str:
        """The applicant's name as written (empty when the file names nobody)."""
        return self.claims.applicant.name or ""

    @property
    def unit(self) -> str:
        return self.claims.applicant.unit or ""

    @property
    def level(self) -> str:
        return self.claims.level or ""

    def leads(self) -> list[Lead]:
        """The counted entries this applicant claims to have led (主持 / 负责人 / 主编), with their titles."""
        return [Lead(f"{label}{er.name}（{er.entry.role}）", er.entry.title)
                for label, er in _counted_entries(self.result)
                if er.entry.role in LEAD_ROLES and er.entry.title and er.entry.title.strip()]

    def rank_facts(self) -> tuple[str | None, Decimal | None]:
        """(申报专业, exam score) for a sheet with a ranking; what ``scorer.ranking.place`` groups and cuts by."""
        spec = self.sheet.ranking
        if spec is None:
            return None, None
        exam = exam_score(self.claims, spec.exam) if spec.exam is not None else None
        return group_value(self.sheet, self.claims, spec.group_by), exam


@dataclass(frozen=True)
class Lead:
    """One counted entry claimed as led: how the flag names it, its title as typed, and (from a worker) its
    title key already made with the generic suffixes ``suffixes``."""

    entry: str
    title: str
    key: TitleKey | None = None
    suffixes: tuple[str, ...] | None = None

    def key_for(self, settings: FlagSettings) -> TitleKey:
        if self.key is not None and self.suffixes == settings.generic_suffixes:
            return self.key
        return title_key(self.title, settings.generic_suffixes)


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


def packet_flags(sheet: Sheet, claims: Claims, result: Result, packet: PacketCheck, settings: FlagSettings) -> list[Flag]:
    """附件不符 and 无佐证计分, for an applicant loaded from a packet (a bare claim file sent no documents).

    The points without proof are the total less its 有佐证 part (``scorer.proof``'s split, the section caps
    applied), counting only the documents the packet holds as listed: 仅列名称 (a name typed, no document)
    and 无佐证 (nothing). Each item with such points is named with its part (after its own cap) and the
    entries concerned; what a section cap took from them is said, so the parts add up by hand.
    """
    flags: list[Flag] = []
    if settings.on("packet_mismatch") and (failed := packet.failed):
        flags.append(Flag("packet_mismatch", f"申报文件所列的 {len(failed)} 份佐证文件在材料包中缺少或不符，不作为佐证",
                          [d.line() for d in failed], figure=f"{len(failed)} 份"))
    if not settings.on("unbacked"):
        return flags
    tally = proof_tally(sheet, claims, result, packet.kept)
    parts, unit = tally.total.parts, tally.unit
    with exact():
        missing = parts[LISTED] + parts[UNPROVEN]
    if missing <= settings.unbacked_points:
        return flags
    concerned = []
    listed_sum = Decimal(0)
    for item_id, split in tally.items.items():
        with exact():
            part = split.parts[LISTED] + split.parts[UNPROVEN]
            listed_sum += part
        if part <= 0:
            continue
        item = result.items[item_id]
        bare = [er.name for er in item.entries
                if er.counted and er.points > 0 and not any(packet.kept(f) for f in er.entry.files)]
        concerned.append(f"{item.label} {fmt(part)} {unit}" + (f"：{'、'.join(bare)}" if bare else ""))
    with exact():
        cut = listed_sum - missing
    capped = f"；下列各项合计 {fmt(listed_sum)} {unit}，部分封顶扣去其中 {fmt(cut)} {unit}" if cut > 0 else ""
    counted = f"计入总分的 {fmt(missing)} 分" if unit == "分" else f"满足的条件中有 {fmt(missing)} 项"
    reason = (f"{counted}没有经核对的佐证文件：仅列名称 {fmt(parts[LISTED])} {unit}、"
              f"未列佐证 {fmt(parts[UNPROVEN])} {unit}（有佐证 {fmt(parts[BACKED])} {unit}{capped}）")
    flags.append(Flag("unbacked", reason, concerned, figure=f"{fmt(missing)} {unit}"))
    return flags


def applicant_flags(
    sheet: Sheet,
    claims: Claims,
    result: Result,
    problems: list[str] | None = None,
    impossible: list[str] | None = None,
    settings: FlagSettings = DEFAULT_SETTINGS,
    packet: PacketCheck | None = None,
) -> list[Flag]:
    """Flags that one claim file raises on its own, for the kinds the settings leave on; ``packet``: the
    documents of the packet it came in, checked (附件不符 and 无佐证计分 apply to packets only)."""
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
    if packet is not None:
        flags += packet_flags(sheet, claims, result, packet, settings)
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


class SharedLead:
    """One achievement claimed as led by two or more applicants, its claimants listed once.

    Every claimant's 负责人冲突 flag points here and builds its words only when read: the reason names
    the first others (SHOWN_OTHERS) and how many more, so a title shared by thousands of applicants
    costs one list, not one list per claimant, and no row keeps text that grows with the batch.
    """

    def __init__(self, claimants: list[tuple[Listed, str, TitleKey]], settings: FlagSettings):
        self.claimants = claimants  # (row, the entry as the flag names it, its title key), in the batch's order
        self.settings = settings
        people = list(dict.fromkeys(row.name for row, _, _ in claimants))
        self.named = "、".join(people[:SHOWN_OTHERS + 1]) + (
            f" 等 {len(people)} 人" if len(people) > SHOWN_OTHERS + 1 else "")
        self._own = Counter(id(row) for row, _, _ in claimants)

    @property
    def applicants(self) -> int:
        return len(self._own)

    def reason(self, index: int) -> str:
        """The words of claimant ``index``'s flag: its own title, then each other's title and why it is the same."""
        row, _, key = self.claimants[index]
        shown: list[tuple[Listed, str, TitleKey]] = []
        for claimant in self.claimants:
            if claimant[0] is not row:
                shown.append(claimant)
                if len(shown) == SHOWN_OTHERS:
                    break
        side = "；".join(f"{other.name}「{their.title}」：{_why(key, their, self.settings)}" for other, _, their in shown)
        others = len(self.claimants) - self._own[id(row)]
        if others > SHOWN_OTHERS:
            side += f"；另有 {others - SHOWN_OTHERS} 条"
        return f"同一项业绩被 {self.named} 都申报为主持/负责人：本人「{key.title}」，{side}"


class LeadConflict(Flag):
    """A 负责人冲突 flag: one claimant of a ``SharedLead``, its reason read from there."""

    def __init__(self, shared: SharedLead, index: int):
        self.code = "lead_conflict"
        self.entries = [shared.claimants[index][1]]
        self.shared = shared
        self.index = index

    @property  # type: ignore[override]
    def reason(self) -> str:
        return self.shared.reason(self.index)


def batch_flags(rows: Sequence[Listed], settings: FlagSettings = DEFAULT_SETTINGS) -> None:
    """Every check across applicants, after each file has its own flags: today, 负责人冲突.

    The same achievement (titles taken as the same: see ``scorer.titles``) led (主持 / 负责人 / 主编)
    by two or more applicants flags each of them, with the other's title beside theirs and why
    they were taken as the same. Works on full rows (``Checked``) and compact ones (``scorer.batchrow``).
    """
    if not settings.on("lead_conflict"):
        return
    leads: list[tuple[Listed, str, TitleKey]] = []
    for row in rows:
        for lead in row.leads():
            leads.append((row, lead.entry, lead.key_for(settings)))
    for group in title_clusters([key for *_, key in leads], settings.similarity):
        shared = SharedLead([leads[i] for i in group], settings)
        if shared.applicants < 2:
            continue  # one applicant's own repeat is 重复申报, not a conflict
        for index, (row, _, _) in enumerate(shared.claimants):
            row.flags.append(LeadConflict(shared, index))


def reflag(rows: list[Checked], settings: FlagSettings) -> None:
    """Every row's flags again under new settings (the scores stay as they are)."""
    for row in rows:
        row.flags = applicant_flags(row.sheet, row.claims, row.result, row.problems, row.impossible, settings, row.packet)
    batch_flags(rows, settings)


def rank_rows(rows: Sequence[Listed]) -> list[RankedList]:
    """Rank applicants of each ranked sheet by total, high to low; equal totals share a rank (1, 2, 2, 4).

    A sheet with a ``ranking`` is ranked within each group after its exam cut (scorer.ranking);
    its lists are returned for the per-group summary and the 推荐名单.
    """
    by_sheet: dict[str, list[Listed]] = defaultdict(list)
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
