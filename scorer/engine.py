"""score(sheet, claims) -> Result: the one place where points are computed.

Order (reference README, shared semantics 1): entry points -> item rule ->
item cap -> exclusive group -> section cap -> total.  Every step is Decimal and
every step leaves a sentence in the result, so a clerk can redo the sum by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from .claims import Claims, Entry
from .maxima import item_max, section_maxima, sheet_max
from .model import (
    ChoiceItem,
    Condition,
    EntriesItem,
    FieldSpec,
    FlagItem,
    Gate,
    LinearItem,
    PathSpec,
    RecordItem,
    ScoredItem,
    Sheet,
    TiersItem,
)
from .numbers import ZERO, answer_text, fmt
from .result import (
    VERDICT_FAIL,
    VERDICT_INELIGIBLE,
    VERDICT_PASS,
    VERDICT_PENDING,
    VERDICT_RANKED,
    VERDICT_VETOED,
    EntryResult,
    GateResult,
    GateStatus,
    ItemResult,
    Result,
    SectionResult,
    VetoResult,
)

ONE = Decimal(1)


@dataclass(frozen=True)
class _Window:
    start: dt.date | None
    until: dt.date | None
    label: str
    start_name: str  # how the start date is called in a warning

    def why_outside(self, date: dt.date) -> str | None:
        if self.start and date < self.start:
            return f"日期 {date} 早于{self.start_name} {self.start}"
        if self.until and date > self.until:
            return f"日期 {date} 晚于截止日 {self.until}"
        return None


# --- conditions shared by gates and record items -------------------------------------------------


def _condition_holds(cond: Condition, value: Any) -> bool | None:
    if value is None:
        return None
    if cond.min is not None and not (isinstance(value, Decimal) and value >= cond.min):
        return False
    if cond.is_ is not None and value is not cond.is_:
        return False
    return cond.in_ is None or value in cond.in_


_IMPLIED: dict[int, tuple[dict[str, FieldSpec], list[PathSpec]]] = {}


def _paths_of(fields: dict[str, FieldSpec], paths: list[PathSpec] | None, label: str) -> list[PathSpec]:
    """Explicit paths, or the one implied path "every field meets its own condition" (built once)."""
    if paths is not None:
        return paths
    hit = _IMPLIED.get(id(fields))
    if hit is None or hit[0] is not fields:
        when = {name: spec.condition for name, spec in fields.items() if spec.condition is not None}
        hit = _IMPLIED[id(fields)] = (fields, [PathSpec(label=label, when=when)])  # type: ignore[arg-type]
    return hit[1]


def _evaluate_paths(paths: list[PathSpec], answer: dict[str, Any] | None) -> tuple[bool | None, str]:
    """True if some path holds, False if every path fails, None if it depends on unanswered fields."""
    answer = answer or {}
    undecided = False
    for path in paths:
        outcomes = [_condition_holds(cond, answer.get(name)) for name, cond in path.when.items()]
        if all(o is True for o in outcomes):
            return True, path.label
        if not any(o is False for o in outcomes):
            undecided = True
    if undecided:
        return None, "有字段未填写，尚无法判断"
    return False, "没有一条路径满足"


def _gate(gate: Gate, answer: Any) -> GateResult:
    status: GateStatus
    if gate.type == "flag":
        status = "unanswered" if answer is None else ("met" if answer else "unmet")
        detail = {"met": "是", "unmet": "否", "unanswered": "未填写"}[status]
    elif gate.type == "number":
        unit = gate.unit or ""
        if answer is None:
            status, detail = "unanswered", "未填写"
        else:
            status = "met" if answer >= (gate.min or ZERO) else "unmet"
            detail = f"{fmt(answer)}{unit}，要求 ≥ {fmt(gate.min)}{unit}"
    else:
        fields = gate.fields or {}
        holds, detail = _evaluate_paths(_paths_of(fields, gate.paths, gate.question), answer)
        status = "unanswered" if holds is None else ("met" if holds else "unmet")
        if gate.paths is None:  # the implied path's label is the question itself: show the answers instead
            shortfalls = _field_shortfalls(fields, answer or {})
            detail = "；".join(shortfalls) if shortfalls else (_answers_text(fields, answer or {}) or detail)
    return GateResult(gate.id, gate.question, status, detail)


def _answers_text(fields: dict[str, FieldSpec], answer: dict[str, Any]) -> str:
    return "；".join(
        f"{spec.label} {answer_text(answer[name])}{spec.unit or ''}"
        for name, spec in fields.items()
        if answer.get(name) is not None
    )


def _field_shortfalls(fields: dict[str, FieldSpec], answer: dict[str, Any]) -> list[str]:
    out = []
    for name, spec in fields.items():
        cond = spec.condition
        if cond is not None and _condition_holds(cond, answer.get(name)) is False:
            value = answer.get(name)
            need = f"≥ {fmt(cond.min)}" if cond.min is not None else ("是" if cond.is_ else "要求的选项")
            out.append(f"{spec.label} {answer_text(value)}{spec.unit or ''}，要求 {need}")
    return out


# --- items -------------------------------------------------------------------------------------------


def _rank_coefficient(item: EntriesItem, rank: int | None) -> Decimal:
    coefs = item.rank_coefficients
    if not coefs or rank is None:
        return ONE
    return coefs[min(rank, len(coefs)) - 1]


def _role_coefficient(item: EntriesItem, role: str | None) -> Decimal:
    if not item.role_coefficients or role is None:
        return ONE
    return item.role_coefficients[role]


def _entry_label(entry: Entry) -> str:
    return "·".join(p for p in (entry.level, entry.role) if p) or "每条"


class _ItemScorer:
    """Scores one item; collects warnings and notices for the whole result."""

    def __init__(self, window: _Window | None):
        self.window = window
        self.warnings: list[str] = []
        self.notices: list[str] = []

    def score(self, item: ScoredItem, section_id: str, answer: Any) -> ItemResult:
        result = ItemResult(
            id=item.id,
            label=item.label,
            section_id=section_id,
            rule=item.rule,
            answered=answer is not None and answer != [],
            claimed="未填写",
            raw=ZERO,
            capped=ZERO,
            points=ZERO,
            cap=item.cap,
            max_points=item_max(item),
            evidence=list(item.evidence),
        )
        if answer is None:
            result.explanation.append("未填写，计 0 分")
        elif isinstance(item, ChoiceItem):
            result.claimed = answer
            result.raw = item.options[answer]
            result.explanation.append(f"「{answer}」→ {fmt(result.raw)} 分")
        elif isinstance(item, TiersItem):
            self._tiers(item, answer, result)
        elif isinstance(item, LinearItem):
            self._linear(item, answer, result)
        elif isinstance(item, FlagItem):
            result.claimed = "是" if answer else "否"
            result.raw = item.points if answer else ZERO
            result.explanation.append(f"{result.claimed} → {fmt(result.raw)} 分")
        elif isinstance(item, RecordItem):
            holds, detail = _evaluate_paths(_paths_of(item.fields, item.paths, item.label), answer)
            result.claimed = _answers_text(item.fields, answer)
            result.raw = item.points if holds else ZERO
            state = {True: "满足", False: "不满足", None: "尚无法判断"}[holds]
            result.explanation.append(f"{state}：{detail} → {fmt(result.raw)} 分")
        else:
            self._entries(item, answer, result)
        result.capped = result.raw
        if item.cap is not None and result.raw > item.cap:
            result.capped = item.cap
            result.explanation.append(f"合计 {fmt(result.raw)} 分，本项封顶 {fmt(item.cap)} 分")
        if isinstance(item, LinearItem) and item.floor is not None and result.capped < item.floor:
            result.capped = item.floor
            result.explanation.append(f"不低于 {fmt(item.floor)} 分")
        result.points = result.capped
        return result

    def _tiers(self, item: TiersItem, value: Decimal, result: ItemResult) -> None:
        unit = item.input.unit or ""
        result.claimed = f"{fmt(value)}{unit}"
        for tier in sorted(item.tiers, key=lambda t: t.min, reverse=True):
            if value >= tier.min:
                result.raw = tier.points
                result.explanation.append(f"{fmt(value)}{unit} ≥ {fmt(tier.min)}{unit} → {fmt(tier.points)} 分")
                return
        result.raw = item.otherwise
        lowest = min(t.min for t in item.tiers)
        result.explanation.append(f"{fmt(value)}{unit} < {fmt(lowest)}{unit} → {fmt(item.otherwise)} 分")

    def _linear(self, item: LinearItem, value: Decimal, result: ItemResult) -> None:
        unit = item.input.unit or ""
        result.claimed = f"{fmt(value)}{unit}"
        units = (value - item.offset) / item.unit
        if item.whole_units:
            units = units.to_integral_value(rounding=ROUND_FLOOR)
        result.raw = units * item.points_per_unit
        base = f"({fmt(value)} − {fmt(item.offset)})" if item.offset else f"{fmt(value)}{unit}"
        if item.whole_units:
            text = (
                f"每满 {fmt(item.unit)}{unit} 计 {fmt(item.points_per_unit)} 分："
                f"{base} 满 {fmt(units)} 个 → {fmt(result.raw)} 分"
            )
        elif item.unit != ONE:
            text = f"{base} ÷ {fmt(item.unit)} × {fmt(item.points_per_unit)} = {fmt(result.raw)} 分"
        else:
            text = f"{base} × {fmt(item.points_per_unit)} = {fmt(result.raw)} 分"
        result.explanation.append(text)

    # --- entries ---------------------------------------------------------------------------------
    def _ignore_reason(self, item: EntriesItem, entry: Entry) -> tuple[str, str] | None:
        """(kind, reason) when an entry cannot count: a required flag, a missing date, or the window."""
        for flag_id, flag in item.entry_flags.items():
            value = entry.flags.get(flag_id)
            if value is None:
                return "flag", f"未注明「{flag.label}」"
            if value is not flag.counts_when:
                return "flag", f"「{flag.label}」为{'是' if value else '否'}，不计分"
        if item.windowed and self.window is not None:
            if entry.date is None:
                return "no_date", f"未填写日期，无法核对是否在{self.window.label}内"
            why = self.window.why_outside(entry.date)
            if why:
                return "window", f"{why}，不在{self.window.label}内"
        return None

    def _entries(self, item: EntriesItem, entries: list[Entry], result: ItemResult) -> None:
        result.claimed = f"{len(entries)} 条"
        counted: list[EntryResult] = []
        for index, entry in enumerate(entries):
            ignored = self._ignore_reason(item, entry)
            if entry.level in item.level_notes:
                self.notices.append(f"{item.label}{entry.describe(index)}：{item.level_notes[entry.level]}")
            if ignored is not None:
                kind, reason = ignored
                self.warnings.append(f"{item.label}{entry.describe(index)}已忽略：{reason}")
                result.entries.append(
                    EntryResult(index, entry, ZERO, False, f"忽略：{reason}", list(item.evidence), ignored=kind)
                )
                continue
            if item.aggregate == "representative_plus_bonus":
                er = EntryResult(index, entry, ZERO, True, "", list(item.evidence))
            else:
                er = self._priced(item, index, entry)
            result.entries.append(er)
            counted.append(er)
        if item.aggregate == "sum":
            result.raw = sum((e.points for e in counted), ZERO)
            if counted:
                result.explanation.append(f"{len(counted)} 条合计 {fmt(result.raw)} 分")
        elif item.aggregate == "max":
            self._keep_best(counted, result)
        elif item.aggregate == "count":
            self._count(item, counted, result)
        else:
            self._representative(item, counted, result)
        if not counted:
            result.explanation.append("没有计分的业绩，计 0 分")

    def _priced(self, item: EntriesItem, index: int, entry: Entry) -> EntryResult:
        base = item.base_points(entry.level, entry.role) or ZERO
        parts = [f"{_entry_label(entry)} {fmt(base)}"]
        points = base
        if item.role_coefficients and entry.role is not None:
            coef = _role_coefficient(item, entry.role)
            points *= coef
            parts.append(f"角色系数 {fmt(coef)}")
        if item.rank_coefficients:
            coef = _rank_coefficient(item, entry.rank)
            points *= coef
            parts.append(f"第{entry.rank}名系数 {fmt(coef)}")
        text = " × ".join(parts) + (f" = {fmt(points)} 分" if len(parts) > 1 else " 分")
        return EntryResult(index, entry, points, True, text, list(item.evidence))

    @staticmethod
    def _keep_best(counted: list[EntryResult], result: ItemResult) -> None:
        if not counted:
            return
        best = max(counted, key=lambda e: e.points)  # first of equals: stable for the reader
        for er in counted:
            if er is not best:
                er.counted = False
                er.explanation += "（按最高一项计分，不累计）"
                er.points = ZERO
        result.raw = best.points
        result.explanation.append(f"按最高一项计分：{best.name} {fmt(best.points)} 分")

    @staticmethod
    def _count(item: EntriesItem, counted: list[EntryResult], result: ItemResult) -> None:
        qualifying = [e for e in counted if e.points > 0]
        for er in counted:
            if er.points <= 0:
                er.counted = False
                er.explanation += "（不符合条件，不计数）"
        need = item.min_count or 1
        points = item.points if item.points is not None else ONE
        if len(qualifying) >= need:
            result.raw = points
            result.explanation.append(f"符合条件 {len(qualifying)} 条，要求至少 {need} 条 → 满足")
        else:
            result.explanation.append(f"符合条件 {len(qualifying)} 条，要求至少 {need} 条 → 还差 {need - len(qualifying)} 条")

    def _representative(self, item: EntriesItem, counted: list[EntryResult], result: ItemResult) -> None:
        if not counted:
            return
        assert item.start is not None and item.bonus is not None
        order = list(item.start)
        # the representative is the best entry: highest level, then best role, then first listed --
        # the clerk's reading of "the best entry by level" (not the pick that maximises the total)
        rep = min(counted, key=lambda e: (order.index(e.entry.level or ""), -_role_coefficient(item, e.entry.role)))
        start = item.start[rep.entry.level or ""]
        rep.points = start
        rep.explanation = f"代表业绩（{rep.entry.level}）起评 {fmt(start)} 分"
        total = start
        for er in counted:
            if er is rep:
                continue
            level = er.entry.level or ""
            coef = _role_coefficient(item, er.entry.role)
            er.points = item.bonus[level] * coef
            er.explanation = f"加分：{level} {fmt(item.bonus[level])} × {er.entry.role}系数 {fmt(coef)} = {fmt(er.points)} 分"
            total += er.points
        result.explanation.append(f"代表业绩 {fmt(start)} 分 + 其余 {len(counted) - 1} 条加分 = {fmt(total)} 分")
        limit = item.level_caps[rep.entry.level or ""]
        if total > limit and (item.cap is None or limit < item.cap):
            result.cap_note = f"代表业绩为{rep.entry.level}，本项最高 {fmt(limit)} 分（不超过上一级别起评分）"
            result.explanation.append(result.cap_note)
            total = limit
        result.raw = total


# --- the whole sheet -----------------------------------------------------------------------------------


def _window(sheet: Sheet, claims: Claims, pending: list[str]) -> _Window | None:
    spec = sheet.window
    if spec is None:
        return None
    start = spec.start
    start_name = "起始日"
    if spec.from_claim == "current_title_date":
        start = claims.applicant.current_title_date
        start_name = "现职称取得日期"
        if start is None:
            pending.append("未填写现职称取得日期（applicant.current_title_date），无法核对业绩是否为任现职以来取得")
    return _Window(start, spec.until, spec.label, start_name)


def _apply_groups(sheet: Sheet, items: dict[str, ItemResult]) -> None:
    for group in sheet.exclusive_groups:
        members = [items[i] for i in group.items]
        best = max(members, key=lambda r: r.capped)  # first of equals wins
        for member in members:
            if member is not best and member.capped > 0:
                member.points = ZERO
                member.excluded_by = group.label
                member.explanation.append(f"{group.label}：取「{best.label}」{fmt(best.capped)} 分，本项不计")


def score(sheet: Sheet, claims: Claims) -> Result:
    if claims.sheet_id != sheet.id:
        raise ValueError(f"claims are for {claims.sheet_id}, not {sheet.id}")
    pending: list[str] = []
    window = _window(sheet, claims, pending)
    scorer = _ItemScorer(window)

    items: dict[str, ItemResult] = {}
    for section in sheet.sections:
        for item in section.scored_items():
            items[item.id] = scorer.score(item, section.id, claims.answers.get(item.id))
    _apply_groups(sheet, items)

    caps: list[str] = []
    sections: list[SectionResult] = []
    section_max = section_maxima(sheet)
    for section in sheet.sections:
        ids = [item.id for item in section.scored_items()]
        raw = sum((items[i].points for i in ids), ZERO)
        subtotal = min(raw, section.cap) if section.cap is not None else raw
        sections.append(SectionResult(section.id, section.title, raw, subtotal, section.cap, section_max[section.id], ids))
        for i in ids:
            if items[i].cap_bit:
                caps.append(f"{items[i].label}：合计 {fmt(items[i].raw)} 分，封顶 {fmt(items[i].cap)} 分")
            if items[i].cap_note:
                caps.append(f"{items[i].label}：{items[i].cap_note}")
        if subtotal < raw:
            caps.append(f"{section.title}：小计 {fmt(raw)} 分，本部分封顶 {fmt(section.cap)} 分")

    gates = [_gate(g, claims.gates.get(g.id)) for g in sheet.gates]
    vetoes = [VetoResult(v.id, v.question, claims.vetoes.get(v.id)) for v in sheet.vetoes]
    pending += [f"申报条件未填写：{g.question}" for g in gates if g.status == "unanswered"]
    pending += [f"否决项未声明：{v.question}" for v in vetoes if v.vetoed is None]

    kind = sheet.threshold.kind
    met_count = sum(1 for r in items.values() if r.met)
    total = Decimal(met_count) if kind == "count" else sum((s.subtotal for s in sections), ZERO)
    threshold = sheet.threshold_for(claims.level)
    reaches = None if kind == "rank" or threshold is None else total >= threshold
    margin = None if reaches is None or threshold is None else total - threshold

    if any(v.vetoed for v in vetoes):
        verdict = VERDICT_VETOED
    elif any(g.status == "unmet" for g in gates):
        verdict = VERDICT_INELIGIBLE
    elif pending:
        verdict = VERDICT_PENDING
    elif kind == "rank":
        verdict = VERDICT_RANKED
    else:
        verdict = VERDICT_PASS if reaches else VERDICT_FAIL

    return Result(
        sheet_id=sheet.id,
        sheet_version=sheet.version,
        sheet_title=sheet.title,
        kind=kind,
        level=claims.level,
        total=total,
        max_total=sheet_max(sheet),
        threshold=threshold,
        reaches=reaches,
        verdict=verdict,
        margin=margin,
        sections=sections,
        items=items,
        gates=gates,
        vetoes=vetoes,
        warnings=scorer.warnings,
        caps=caps,
        pending=pending,
        notices=scorer.notices,
    )
