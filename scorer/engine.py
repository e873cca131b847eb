"""score(sheet, claims) -> Result: the one place where points are computed.

Order (reference README, shared semantics 1): entry points -> item rule ->
item cap -> exclusive group -> section cap -> total.  Every step is Decimal and
every step leaves a sentence in the result, so a clerk can redo the sum by hand
(written when it is read: ``scorer.result``).
What a rule shape means is its own module's business (``scorer.rules``): the
engine only walks the sheet and applies the caps, groups, gates and vetoes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .claims import Claims
from .consistency import broken_rules
from .maxima import item_max, section_maxima, sheet_max
from .model import Gate, ScoredItem, Sheet
from .numbers import ZERO, exact, fmt
from .result import (
    VERDICT_FAIL,
    VERDICT_INELIGIBLE,
    VERDICT_NO_LINE,
    VERDICT_PASS,
    VERDICT_PENDING,
    VERDICT_RANKED,
    VERDICT_VETOED,
    GateResult,
    GateStatus,
    ItemResult,
    Result,
    SectionResult,
    VetoResult,
    Words,
    later,
)
from .rules import ScoreContext, Window
from .rules.conditions import FieldSpec, answers_text, evaluate_paths, field_shortfalls, paths_of


def _number_detail(answer: Decimal, minimum: Decimal | None, unit: str) -> str:
    return f"{fmt(answer)}{unit}，要求 ≥ {fmt(minimum)}{unit}"


def _answers_detail(fields: dict[str, FieldSpec], answer: dict[str, Any], detail: str) -> str:
    """The implied path's label is the question itself: the answers (or what falls short) say more."""
    shortfalls = field_shortfalls(fields, answer)
    return "；".join(shortfalls) if shortfalls else (answers_text(fields, answer) or detail)


def _gate(gate: Gate, answer: Any) -> GateResult:
    status: GateStatus
    detail: Words
    if gate.type == "flag":
        status = "unanswered" if answer is None else ("met" if answer else "unmet")
        detail = _FLAG_DETAIL[status]
    elif gate.type == "number":
        if answer is None:
            status, detail = "unanswered", "未填写"
        else:
            status = "met" if answer >= (gate.min or ZERO) else "unmet"
            detail = later(_number_detail, answer, gate.min, gate.unit or "")
    else:
        fields = gate.fields or {}
        holds, detail = evaluate_paths(paths_of(fields, gate.paths, gate.question), answer)
        status = "unanswered" if holds is None else ("met" if holds else "unmet")
        if gate.paths is None:
            detail = later(_answers_detail, fields, dict(answer or {}), detail)
    return GateResult(gate.id, gate.question, status, detail)


_FLAG_DETAIL: dict[str, str] = {"met": "是", "unmet": "否", "unanswered": "未填写"}


def _capped_words(raw: Decimal, cap: Decimal) -> str:
    return f"合计 {fmt(raw)} 分，本项封顶 {fmt(cap)} 分"


def _ceiling_words(ceiling: Decimal, computed: Decimal) -> str:
    return f"专家酌定本项 {fmt(ceiling)} 分（计算为 {fmt(computed)} 分）"


def _excluded_words(group: str, best: str, points: Decimal) -> str:
    return f"{group}：取「{best}」{fmt(points)} 分，本项不计"


def _score_item(item: ScoredItem, section_id: str, answer: Any, ctx: ScoreContext,
                ceiling: Decimal | None) -> ItemResult:
    """One item through its shape, then the item cap and the expert's ceiling (专家酌定), if any."""
    result = ItemResult(
        id=item.id,
        label=item.label,
        section_id=section_id,
        rule=item.rule,
        answered=answer is not None and answer != [],
        claim="未填写",
        raw=ZERO,
        capped=ZERO,
        points=ZERO,
        cap=item.cap,
        max_points=item_max(item),
        evidence=list(item.evidence),
    )
    if answer is None:
        result.say("未填写，计 0 分")
    else:
        item.score(answer, ctx, result)
    result.capped = result.raw
    if item.cap is not None and result.raw > item.cap:
        result.capped = item.cap
        result.say(later(_capped_words, result.raw, item.cap))
    item.after_cap(result)
    if ceiling is not None and ceiling < result.capped:
        result.say(later(_ceiling_words, ceiling, result.capped))
        result.capped = ceiling
    result.points = result.capped
    return result


def _window(sheet: Sheet, claims: Claims, pending: list[str]) -> Window | None:
    spec = sheet.window
    if spec is None:
        return None
    start = spec.start
    start_name = "起始日"
    if spec.from_claim == "current_title_date":
        start = claims.applicant.current_title_date
        start_name = "现职称取得日期"
        if start is None:
            pending.append("未填写现职称取得日期，无法核对业绩是否为任现职以来取得")
    return Window(start, spec.until, spec.label, start_name)


def _apply_groups(sheet: Sheet, items: dict[str, ItemResult]) -> None:
    for group in sheet.exclusive_groups:
        members = [items[i] for i in group.items]
        best = max(members, key=lambda r: r.capped)  # first of equals wins
        for member in members:
            if member is not best and member.capped > 0:
                member.points = ZERO
                member.excluded_by = group.label
                member.say(later(_excluded_words, group.label, best.label, best.capped))


def score(sheet: Sheet, claims: Claims) -> Result:
    if claims.sheet_id != sheet.id:
        raise ValueError(f"claims are for {claims.sheet_id}, not {sheet.id}")
    with exact():
        return _score(sheet, claims)


def _score(sheet: Sheet, claims: Claims) -> Result:
    pending: list[str] = []
    ctx = ScoreContext(_window(sheet, claims, pending), claims.answers, claims.gates)

    items: dict[str, ItemResult] = {}
    for section in sheet.sections:
        for item in section.scored_items():
            items[item.id] = _score_item(item, section.id, claims.answers.get(item.id), ctx,
                                         claims.item_ceilings.get(item.id))
    _apply_groups(sheet, items)
    pending += ctx.pending

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
            caps += [f"{items[i].label}：{note}" for note in items[i].sub_caps]
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
    reaches = None if kind in ("rank", "none") or threshold is None else total >= threshold
    margin = None if reaches is None or threshold is None else total - threshold

    if any(v.vetoed for v in vetoes):
        verdict = VERDICT_VETOED
    elif any(g.status == "unmet" for g in gates):
        verdict = VERDICT_INELIGIBLE
    elif pending:
        verdict = VERDICT_PENDING
    elif kind == "rank":
        verdict = VERDICT_RANKED
    elif kind == "none":
        verdict = VERDICT_NO_LINE
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
        warnings=ctx.warnings,
        caps=caps,
        pending=pending,
        notices=ctx.notices,
        findings=ctx.findings,
        contradictions=broken_rules(sheet, claims.answers, claims.gates, claims.applicant.current_title_date),
    )
