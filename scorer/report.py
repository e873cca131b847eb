"""Readable Chinese text for a terminal: a scored result, or a sheet as a table."""

from __future__ import annotations

import unicodedata

from .describe import FIDELITY_TEXT, describe_gate, describe_rule, describe_threshold
from .maxima import item_max, section_maxima, sheet_max
from .model import Sheet
from .numbers import fmt
from .result import GATE_STATUS_TEXT, Result

_GATE_MARK = {"met": "✓", "unmet": "✗", "unanswered": "?"}


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, columns: int) -> str:
    """At most ``columns`` terminal columns, with … where it was cut."""
    if width(text) <= columns:
        return text
    out = ""
    for char in text:
        if width(out + char) > columns - 1:
            break
        out += char
    return out + "…"


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def rpad(text: str, columns: int) -> str:
    return " " * max(0, columns - width(text)) + text


def _numbers(value: str, cap: str | None) -> str:
    return rpad(value, 6) + (f" / {cap}" if cap else "")


def render_result(result: Result, sheet: Sheet, applicant: str | None = None) -> str:
    out: list[str] = [f"{sheet.title}（{sheet.version}）"]
    who = f"申报人：{applicant}　" if applicant else ""
    out.append(f"{who}申报级别：{result.level or '—'}　评价方式：{describe_threshold(sheet)}")
    if sheet.fidelity == "reconstructed":
        out.append(f"【注意】{sheet.fidelity_note}")
    if result.gates:
        out.append("")
        out.append("申报条件")
        for gate in result.gates:
            out.append(f"  {_GATE_MARK[gate.status]} {pad(gate.question, 56)} {GATE_STATUS_TEXT[gate.status]}：{gate.detail}")
    if result.vetoes:
        out.append("否决项")
        for veto in result.vetoes:
            state = "未声明" if veto.vetoed is None else ("是 —— 否决" if veto.vetoed else "否")
            out.append(f"  {'✗' if veto.vetoed else '·'} {pad(veto.question, 56)} {state}")
    for section in result.sections:
        out.append("")
        cap = fmt(section.cap) if section.cap is not None else None
        out.append(pad(section.title, 60) + _numbers(fmt(section.subtotal), cap))
        for item_id in section.item_ids:
            item = result.items[item_id]
            line = "  " + pad(clip(item.label, 38), 40) + pad(clip(item.claimed, 16), 18)
            out.append(line + _numbers(fmt(item.points), fmt(item.cap) if item.cap is not None else None))
            for sentence in item.explanation:
                out.append("      " + sentence)
            for entry in item.entries:
                out.append(f"      · {entry.name}：{entry.explanation}")
    out.append("")
    if result.kind == "count":
        out.append(f"满足条件 {fmt(result.total)} 项，需要 {fmt(result.threshold)} 项")
    elif result.kind == "none":
        out.append(f"总分 {fmt(result.total)}（满分 {fmt(result.max_total)}），不设分数线，由评委会审议")
    elif result.kind == "rank":
        out.append(f"总分 {fmt(result.total)}（满分 {fmt(result.max_total)}），不设分数线，按总分排名")
    else:
        out.append(f"总分 {fmt(result.total)} / 分数线 {fmt(result.threshold)}（满分 {fmt(result.max_total)}）")
    margin = ""
    if result.margin is not None:
        margin = f"（超出 {fmt(result.margin)}）" if result.margin >= 0 else f"（还差 {fmt(-result.margin)}）"
    out.append(f"结论：{result.verdict}{margin}")
    for title, lines in result.note_groups():
        if lines:
            out.append(f"{title}：")
            out.extend(f"  - {line}" for line in lines)
    return "\n".join(out)


def render_sheet(sheet: Sheet) -> str:
    out = [f"{sheet.title}", f"id: {sheet.id}　版本：{sheet.version}　{sheet.region}　{sheet.specialty}　{sheet.route}"]
    out.append(f"申报级别：{'、'.join(sheet.levels)}　评价方式：{describe_threshold(sheet)}　满分：{fmt(sheet_max(sheet))}")
    if sheet.threshold.of_note:
        out.append(f"满分说明：{sheet.threshold.of_note}")
    out.append(f"可信度：{FIDELITY_TEXT[sheet.fidelity]}。{sheet.fidelity_note}")
    if sheet.window:
        out.append(f"业绩时间范围：{sheet.window.label}")
    out.append("依据：")
    for src in sheet.sources:
        parts = [src.doc, src.title or "", src.clause or "", f"[{src.seed}]" if src.seed else ""]
        out.append("  - " + " ".join(p for p in parts if p))
    if sheet.gates:
        out.append("")
        out.append("申报条件（不计分，不满足则不能申报）")
        for gate in sheet.gates:
            out.append(f"  {pad(gate.id, 24)}{pad(gate.question, 56)}{describe_gate(gate)}")
    if sheet.vetoes:
        out.append("否决项（一票否决）")
        for veto in sheet.vetoes:
            out.append(f"  {pad(veto.id, 24)}{veto.question}")
    maxima = section_maxima(sheet)
    for section in sheet.sections:
        out.append("")
        cap = f"封顶 {fmt(section.cap)}，" if section.cap is not None else ""
        out.append(f"{section.title}（{section.id}；{cap}最高 {fmt(maxima[section.id])}）")
        for item in section.scored_items():
            out.append(f"  {pad(item.id, 22)}{pad(clip(item.label, 56), 58)}最高 {fmt(item_max(item))}")
            out.append(f"      {describe_rule(item)}")
            if item.evidence:
                out.append(f"      佐证：{'；'.join(item.evidence)}")
    for group in sheet.exclusive_groups:
        out.append(f"互斥：{group.label}（{'、'.join(group.items)}）")
    return "\n".join(out)
